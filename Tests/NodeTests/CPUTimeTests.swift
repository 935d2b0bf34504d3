import Foundation
import Testing

@testable import Node

/// `bench cluster`'s CPU per POQ: this process's time, and its ended children's (the node processes it waited for).
struct CPUTimeTests {
    @Test("CPU time counts this process's work, and a child's once it has ended and been waited for")
    func selfAndChildren() throws {
        // The work is measured by this thread's own CPU clock, not the wall clock: on a loaded machine a thread
        // spinning for 100 ms of wall time may be given far less than 100 ms of CPU.
        let selfBefore = CPUTime.seconds(of: RUSAGE_SELF)
        let threadStart = threadCPUSeconds()
        var sum: UInt64 = 0
        while threadCPUSeconds() - threadStart < 0.1 {
            for index in 0..<10_000 { sum = sum &+ UInt64(index) &* 2_654_435_761 }
        }
        #expect(sum != 1)
        #expect(CPUTime.seconds(of: RUSAGE_SELF) - selfBefore >= 0.09)

        let childrenBefore = CPUTime.seconds(of: RUSAGE_CHILDREN)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"]
        try child.run()
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
        #expect(CPUTime.seconds(of: RUSAGE_CHILDREN) - childrenBefore >= 0.05)
    }
}

extension CPUTimeTests {
    @Test("a running process's CPU time is read from /proc while it runs; a process that does not exist has none")
    func runningProcess() async throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        // A loop of about a second of CPU, then the process waits (alive, idle) to be read and stopped: in the whole
        // suite this test may not run again for a minute, and an ended process has no /proc entry to read.
        child.arguments = ["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; exec sleep 600"]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        #expect(CPUTime.seconds(ofProcess: child.processIdentifier) != nil)
        let deadline = ContinuousClock.now + .seconds(120)
        var seen = 0.0
        while ContinuousClock.now < deadline {
            seen = CPUTime.seconds(ofProcess: child.processIdentifier) ?? 0
            if seen >= 0.05 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(seen >= 0.05)
        #expect(CPUTime.seconds(ofProcess: Int32.max) == nil)
    }
}

/// This thread's CPU time, from a clock independent of `getrusage`.
private func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
