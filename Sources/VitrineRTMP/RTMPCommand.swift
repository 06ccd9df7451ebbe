// RTMPCommand: AMF0 command messages, Adobe RTMP spec 1.0 section 7.2 (NetConnection commands
// 7.2.1: connect, createStream, _result/_error; NetStream commands 7.2.2: publish, deleteStream,
// onStatus), plus the de-facto releaseStream / FCPublish / FCUnpublish that FFmpeg, OBS and
// librtmp send before publish.

/// A command: name, transaction id, command object, then any further arguments.
public struct RTMPCommand: Equatable, Sendable {
    public var name: String
    public var transactionID: Double
    /// The command object (null for most NetStream commands).
    public var commandObject: AMF0Value
    public var arguments: [AMF0Value]

    public init(name: String, transactionID: Double, commandObject: AMF0Value = .null, arguments: [AMF0Value] = []) {
        self.name = name
        self.transactionID = transactionID
        self.commandObject = commandObject
        self.arguments = arguments
    }

    /// Accepts name + transaction id at least; missing command object reads as null.
    public init?(values: [AMF0Value]) {
        guard let name = values.first?.stringValue else { return nil }
        self.name = name
        transactionID = values.count > 1 ? (values[1].numberValue ?? 0) : 0
        commandObject = values.count > 2 ? values[2] : .null
        arguments = values.count > 3 ? Array(values[3...]) : []
    }

    public var values: [AMF0Value] {
        [.string(name), .number(transactionID), commandObject] + arguments
    }

    /// The first string argument: the stream name for releaseStream, FCPublish, publish.
    public var firstStringArgument: String? {
        arguments.first?.stringValue
    }
}

/// Replies the server sends. Clients wait for these exact shapes (FFmpeg's rtmpproto.c checks
/// `code` of onStatus and the stream id number of createStream's _result).
public enum RTMPReplies {
    public static func connectResult(transactionID: Double) -> RTMPCommand {
        RTMPCommand(
            name: "_result", transactionID: transactionID,
            commandObject: .object([
                AMF0Property("fmsVer", .string("FMS/3,5,7,7009")),
                AMF0Property("capabilities", .number(31)),
                AMF0Property("mode", .number(1)),
            ]),
            arguments: [.object([
                AMF0Property("level", .string("status")),
                AMF0Property("code", .string("NetConnection.Connect.Success")),
                AMF0Property("description", .string("Connection succeeded.")),
                AMF0Property("objectEncoding", .number(0)),
            ])])
    }

    public static func connectRejected(transactionID: Double, description: String) -> RTMPCommand {
        RTMPCommand(
            name: "_error", transactionID: transactionID, commandObject: .null,
            arguments: [status(level: "error", code: "NetConnection.Connect.Rejected", description: description)])
    }

    public static func createStreamResult(transactionID: Double, streamID: UInt32) -> RTMPCommand {
        RTMPCommand(name: "_result", transactionID: transactionID, commandObject: .null,
                    arguments: [.number(Double(streamID))])
    }

    /// Plain acknowledgement for releaseStream and similar calls that expect some answer.
    public static func emptyResult(transactionID: Double) -> RTMPCommand {
        RTMPCommand(name: "_result", transactionID: transactionID, commandObject: .null, arguments: [.undefined])
    }

    public static func errorResult(transactionID: Double, description: String) -> RTMPCommand {
        RTMPCommand(name: "_error", transactionID: transactionID, commandObject: .null,
                    arguments: [status(level: "error", code: "NetConnection.Call.Failed", description: description)])
    }

    public static func onFCPublish(key: String) -> RTMPCommand {
        RTMPCommand(name: "onFCPublish", transactionID: 0, commandObject: .null,
                    arguments: [status(level: "status", code: "NetStream.Publish.Start", description: key)])
    }

    public static func onFCUnpublish(key: String) -> RTMPCommand {
        RTMPCommand(name: "onFCUnpublish", transactionID: 0, commandObject: .null,
                    arguments: [status(level: "status", code: "NetStream.Unpublish.Success", description: key)])
    }

    public static func onStatus(level: String, code: String, description: String) -> RTMPCommand {
        RTMPCommand(name: "onStatus", transactionID: 0, commandObject: .null,
                    arguments: [status(level: level, code: code, description: description)])
    }

    static func status(level: String, code: String, description: String) -> AMF0Value {
        .object([
            AMF0Property("level", .string(level)),
            AMF0Property("code", .string(code)),
            AMF0Property("description", .string(description)),
        ])
    }
}
