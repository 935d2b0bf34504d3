import Foundation

/// Decodes a `Decodable` value straight from a `JSONValue` tree, without writing it as JSON text first.
///
/// `JSONValue.decode(_:)` uses it: decoding a buyer's parsed payload into its Sonata model is on every request's
/// path, and writing the tree out for `JSONDecoder` to parse again cost more than the decoding itself. It gives
/// what `JSONDecoder` gives for the tree's canonical text, errors included (`keyNotFound`, `typeMismatch` with
/// the expected type, `valueNotFound` for a null, each with its coding path; a number that does not fit its
/// integer type is `dataCorrupted` at its own path, where `JSONDecoder` says only that the text is not valid
/// JSON), and decodes `Data` from base64, `URL` from a string and `Date` from seconds since 2001, as
/// `JSONDecoder`'s default strategies do. A `JSONValue` inside the tree is taken as it is.
struct JSONValueDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try TreeDecoder(value: value, path: .root).unbox(value, as: T.self)
    }

    /// A coding path grown one key at a time, each step sharing the steps above it (an array per step copied every
    /// key above it, for every value decoded); made into an array only when asked for, as in an error.
    indirect enum Path {
        case root
        case key(any CodingKey, parent: Path)

        func appending(_ key: any CodingKey) -> Path { .key(key, parent: self) }

        var keys: [any CodingKey] {
            var keys: [any CodingKey] = []
            var step = self
            while case .key(let key, let parent) = step {
                keys.append(key)
                step = parent
            }
            return keys.reversed()
        }
    }

    /// A key of an array element's position, for coding paths.
    struct IndexKey: CodingKey {
        let intValue: Int?
        var stringValue: String { "Index \(intValue ?? 0)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    /// The `super` key of `superDecoder()`.
    struct SuperKey: CodingKey {
        var stringValue: String { "super" }
        var intValue: Int? { nil }
        init() {}
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }

    struct TreeDecoder: Decoder {
        let value: JSONValue
        let path: Path
        var codingPath: [any CodingKey] { path.keys }
        var userInfo: [CodingUserInfoKey: Any] { [JSONValue.exactlyTyped: true] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard case .object(let members) = value else {
                throw mismatch([String: Any].self, value, codingPath)
            }
            return KeyedDecodingContainer(Keyed<Key>(members: members, path: path))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard case .array(let elements) = value else { throw mismatch([Any].self, value, codingPath) }
            return Unkeyed(elements: elements, path: path)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            Single(value: value, path: path)
        }

        /// `value` as `T`: the kinds the tree holds directly, the special cases of `JSONDecoder`, or `T`'s own
        /// `init(from:)` on a decoder at `value`.
        func unbox<T: Decodable>(_ value: JSONValue, as type: T.Type) throws -> T {
            if T.self == JSONValue.self { return value as! T }
            if T.self == String.self { return try string(value) as! T }
            if T.self == Bool.self { return try bool(value) as! T }
            if T.self == Double.self { return try number(value, Double.self) as! T }
            if T.self == Int.self { return try integer(value, Int.self) as! T }
            if T.self == Int64.self { return try integer(value, Int64.self) as! T }
            if T.self == Data.self {
                guard let data = Data(base64Encoded: try string(value)) else {
                    throw DecodingError.dataCorrupted(
                        .init(codingPath: codingPath, debugDescription: "Encountered Data is not valid Base64."))
                }
                return data as! T
            }
            if T.self == URL.self {
                guard let url = URL(string: try string(value)) else {
                    throw DecodingError.dataCorrupted(
                        .init(codingPath: codingPath, debugDescription: "Invalid URL string."))
                }
                return url as! T
            }
            if T.self == Decimal.self {
                guard case .number = value, let decimal = Decimal(string: value.canonicalString) else {
                    throw mismatch(Decimal.self, value, codingPath)
                }
                return decimal as! T
            }
            return try T(from: TreeDecoder(value: value, path: path))
        }

        func string(_ value: JSONValue) throws -> String {
            guard case .string(let text) = value else { throw mismatch(String.self, value, codingPath) }
            return text
        }

        func bool(_ value: JSONValue) throws -> Bool {
            guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, codingPath) }
            return flag
        }

        func number<T: BinaryFloatingPoint>(_ value: JSONValue, _ type: T.Type) throws -> T {
            guard case .number(let number) = value else { throw mismatch(T.self, value, codingPath) }
            let converted = T(number)
            guard converted.isFinite else { throw doesNotFit(number, T.self) }
            return converted
        }

        func integer<T: FixedWidthInteger>(_ value: JSONValue, _ type: T.Type) throws -> T {
            guard case .number(let number) = value else { throw mismatch(T.self, value, codingPath) }
            guard let exact = T(exactly: number) else { throw doesNotFit(number, T.self) }
            return exact
        }

        private func doesNotFit(_ number: Double, _ type: Any.Type) -> DecodingError {
            .dataCorrupted(
                .init(
                    codingPath: codingPath,
                    debugDescription: "Number \(JSONValue.ecmaScriptString(number)) does not fit in \(type)."))
        }
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        if case .null = value {
            return .valueNotFound(
                type, .init(codingPath: path, debugDescription: "Cannot get \(type) -- found null value instead"))
        }
        return .typeMismatch(
            type,
            .init(codingPath: path, debugDescription: "Expected to decode \(type) but found \(value.typeName) instead.")
        )
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [String: JSONValue]
        let path: Path
        var codingPath: [any CodingKey] { path.keys }

        var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

        private func member(_ key: Key) throws -> JSONValue {
            guard let value = members[key.stringValue] else {
                throw DecodingError.keyNotFound(
                    key,
                    .init(
                        codingPath: codingPath,
                        debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
            }
            return value
        }

        private func decoder(_ key: Key) throws -> TreeDecoder {
            TreeDecoder(value: try member(key), path: path.appending(key))
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            if case .null = try member(key) { return true }
            return false
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
            let decoder = try decoder(key)
            return try decoder.bool(decoder.value)
        }
        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            let decoder = try decoder(key)
            return try decoder.string(decoder.value)
        }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
            let decoder = try decoder(key)
            return try decoder.number(decoder.value, Double.self)
        }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
            let decoder = try decoder(key)
            return try decoder.number(decoder.value, Float.self)
        }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }

        private func integer<T: FixedWidthInteger>(_ key: Key) throws -> T {
            let decoder = try decoder(key)
            return try decoder.integer(decoder.value, T.self)
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let decoder = try decoder(key)
            return try decoder.unbox(decoder.value, as: T.self)
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            try decoder(key).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try decoder(key).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            TreeDecoder(value: members["super"] ?? .null, path: path.appending(SuperKey()))
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            TreeDecoder(value: members[key.stringValue] ?? .null, path: path.appending(key))
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let elements: [JSONValue]
        let path: Path
        var codingPath: [any CodingKey] { path.keys }
        private(set) var currentIndex = 0

        init(elements: [JSONValue], path: Path) {
            self.elements = elements
            self.path = path
        }

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        /// The decoder at the next element; `advancing` moves past it.
        private mutating func next(_ type: Any.Type, advancing: Bool = true) throws -> TreeDecoder {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    type,
                    .init(
                        codingPath: codingPath + [IndexKey(currentIndex)],
                        debugDescription: "Unkeyed container is at end."
                    ))
            }
            let decoder = TreeDecoder(value: elements[currentIndex], path: path.appending(IndexKey(currentIndex)))
            if advancing { currentIndex += 1 }
            return decoder
        }

        mutating func decodeNil() throws -> Bool {
            guard case .null = try next(Any?.self, advancing: false).value else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeNext(type) }
        mutating func decode(_ type: String.Type) throws -> String { try decodeNext(type) }
        mutating func decode(_ type: Double.Type) throws -> Double { try decodeNext(type) }
        mutating func decode(_ type: Float.Type) throws -> Float { try decodeNext(type) }
        mutating func decode(_ type: Int.Type) throws -> Int { try decodeNext(type) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeNext(type) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeNext(type) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeNext(type) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeNext(type) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeNext(type) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeNext(type) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeNext(type) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeNext(type) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeNext(type) }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeNext(type) }

        /// Decodes the next element as `T` and moves past it only when that worked, as `JSONDecoder` does. Every
        /// kind goes through `unbox`: an integer width or `Float` it has no shortcut for decodes through its own
        /// `init(from:)`, which reads it from a `Single` container at the element's path.
        private mutating func decodeNext<T: Decodable>(_ type: T.Type) throws -> T {
            let decoder = try next(type, advancing: false)
            let value = try decoder.unbox(decoder.value, as: T.self)
            currentIndex += 1
            return value
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type
        ) throws -> KeyedDecodingContainer<NestedKey> {
            let container = try next([String: Any].self, advancing: false).container(keyedBy: type)
            currentIndex += 1
            return container
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let container = try next([Any].self, advancing: false).unkeyedContainer()
            currentIndex += 1
            return container
        }

        mutating func superDecoder() throws -> any Decoder { try next(Any.self) }
    }

    struct Single: SingleValueDecodingContainer {
        let value: JSONValue
        let path: Path
        var codingPath: [any CodingKey] { path.keys }

        private var decoder: TreeDecoder { TreeDecoder(value: value, path: path) }

        func decodeNil() -> Bool {
            if case .null = value { return true }
            return false
        }

        func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool(value) }
        func decode(_ type: String.Type) throws -> String { try decoder.string(value) }
        func decode(_ type: Double.Type) throws -> Double { try decoder.number(value, Double.self) }
        func decode(_ type: Float.Type) throws -> Float { try decoder.number(value, Float.self) }
        func decode(_ type: Int.Type) throws -> Int { try decoder.integer(value, Int.self) }
        func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(value, Int8.self) }
        func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(value, Int16.self) }
        func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(value, Int32.self) }
        func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(value, Int64.self) }
        func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(value, UInt.self) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(value, UInt8.self) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(value, UInt16.self) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(value, UInt32.self) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(value, UInt64.self) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.unbox(value, as: T.self) }
    }
}
