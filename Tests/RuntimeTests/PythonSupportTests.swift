import Runtime
import Testing

/// The `Python` package trait: on by default (libpython linked, its version readable before
/// initialisation), off with `swift build --disable-default-traits`.
@Suite struct PythonSupportTests {
    #if Python
    @Test func defaultBuildEmbedsDebiansPython() throws {
        #expect(PythonSupport.isBuiltIn)
        let version = try #require(PythonSupport.version)
        #expect(version.hasPrefix("3."), "\(version)")
        #expect(PythonSupport.summary.hasSuffix("embedded"))
    }
    #else
    @Test func buildWithoutTheTraitSaysSo() {
        #expect(!PythonSupport.isBuiltIn)
        #expect(PythonSupport.version == nil)
        #expect(PythonSupport.summary == "built without Python support")
    }
    #endif
}
