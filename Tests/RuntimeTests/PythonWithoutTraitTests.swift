#if !Python
import Testing
@testable import Runtime
import VigilConfig

/// `swift build --disable-default-traits`: no libpython. The python loader exists and says so.
@Suite struct PythonWithoutTraitTests {
    static let loader = PythonLoader.start(PythonConfiguration(venv: "/nonexistent"),
                                           services: PythonHostServices(hostname: "box", version: "0"))

    @Test func aPinnedInstanceSaysThisBuildHasNoPython() {
        #expect(!PythonSupport.isBuiltIn)
        let chain = LoaderChain([NativeLoader(), Self.loader, ExecLoader()])
        guard case .failed(let errors, let pinned) = chain.load(Specs.make("my_check", "{loader: python}"), context: LoadContext(hostname: "box")) else {
            Issue.record("a pinned python instance must fail to load")
            return
        }
        #expect(pinned == "python")
        #expect(errors == ["python": "pinned loader python failed: built without Python support"])
    }

    @Test func unpinnedInstancesFallThroughToExec() {
        let chain = LoaderChain([NativeLoader(), Self.loader, ExecLoader()])
        guard case .loaded(let loader, _) = chain.load(Specs.make("plugin", "{command: [/bin/true]}"), context: LoadContext(hostname: "box")) else {
            Issue.record("an exec instance must still load")
            return
        }
        #expect(loader == "exec")
    }
}
#endif
