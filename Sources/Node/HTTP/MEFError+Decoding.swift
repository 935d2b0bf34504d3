import Foundation
import Sonata

extension MEFError {
    /// A decoding failure as a JSON pointer and a sentence, without Swift type names (for MEF error bodies).
    static func describe(_ error: any Error) -> (path: String, problem: String) {
        guard let error = error as? DecodingError else { return ("/", "the body does not have the expected shape") }
        func pointer(_ path: [any CodingKey]) -> String {
            "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let path = pointer(context.codingPath + [key])
            return (path, "\(path) is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = pointer(context.codingPath)
            return (path, "\(path) has the wrong type")
        case .dataCorrupted(let context):
            let path = pointer(context.codingPath)
            return (path, "\(path) has a value that is not allowed")
        @unknown default:
            return ("/", "the body does not have the expected shape")
        }
    }
}
