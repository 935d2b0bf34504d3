import Foundation
import Logging

/// The process's log: one line per event on standard error, at `level` and above.
enum Logs {
    static func bootstrap(level: Logger.Level) {
        // Each line is stamped in local time. With TZ unset, glibc looks at /etc/localtime again for every line
        // (a stat per line, about 1 % of a busy node's CPU); naming that same file in TZ lets it read it once.
        if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 0) }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
