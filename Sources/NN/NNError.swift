import Foundation
import NNTensor

/// A misuse of the NN API that the caller can report; the message names the shapes or values.
public enum NNError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// Input shapes that a layer, loss or operation cannot accept.
    case shapeMismatch(String)
    /// An argument outside its domain (a class index out of range, a negative size …).
    case invalidArgument(String)
    /// A name that does not exist (a parameter or buffer name, a graph node).
    case unknownName(String)
    /// A backward pass through operations an earlier backward pass freed (PyTorch's
    /// "Trying to backward through the graph a second time"; see `retainGraph`).
    case freedGraph(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let message), .invalidArgument(let message), .unknownName(let message), .freedGraph(let message):
            message
        }
    }

    public var errorDescription: String? { description }

    /// The same message, from the tensor layer's error.
    init(_ error: TensorError) {
        switch error {
        case .shapeMismatch(let message): self = .shapeMismatch(message)
        case .invalidArgument(let message): self = .invalidArgument(message)
        }
    }
}
