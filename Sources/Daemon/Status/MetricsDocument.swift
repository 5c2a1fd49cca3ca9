import Foundation
import Runtime

/// `/metrics` in the OpenMetrics text format (filled out with the status issue).
enum MetricsDocument {
    static func build(daemon: Daemon) -> String {
        let loop = daemon.loop.status
        var out = "# TYPE vigil_ready gauge\nvigil_ready \(loop.ready ? 1 : 0)\n"
        out += "# TYPE vigil_reconcile_passes counter\nvigil_reconcile_passes_total \(loop.passes)\n"
        let buffers = BoundaryBuffers.shared.counts
        out += "# TYPE vigil_python_buffer_allocations counter\nvigil_python_buffer_allocations_total \(buffers.allocations)\n"
        out += "# TYPE vigil_python_buffer_frees counter\nvigil_python_buffer_frees_total \(buffers.frees)\n"
        out += "# TYPE vigil_python_buffer_allocated_bytes counter\n# UNIT vigil_python_buffer_allocated_bytes bytes\n"
        out += "vigil_python_buffer_allocated_bytes_total \(buffers.allocatedBytes)\n"
        out += "# TYPE vigil_python_buffer_outstanding_bytes gauge\n# UNIT vigil_python_buffer_outstanding_bytes bytes\n"
        out += "vigil_python_buffer_outstanding_bytes \(buffers.outstandingBytes)\n"
        let memory = daemon.runner.snapshot().compactMap { snapshot in
            snapshot.details.pythonAllocatedBytes.map { (snapshot.spec.id.rawValue, snapshot.spec.checkName, $0) }
        }.sorted { $0.0 < $1.0 }
        if !memory.isEmpty {
            out += "# TYPE vigil_python_check_allocated_bytes gauge\n# UNIT vigil_python_check_allocated_bytes bytes\n"
            for (id, name, bytes) in memory {
                out += "vigil_python_check_allocated_bytes{check_id=\"\(id)\",check=\"\(name)\"} \(bytes)\n"
            }
        }
        out += "# TYPE vigil_replaced_workers counter\nvigil_replaced_workers_total \(daemon.runner.replacedWorkers)\n"
        out += "# EOF\n"
        return out
    }
}
