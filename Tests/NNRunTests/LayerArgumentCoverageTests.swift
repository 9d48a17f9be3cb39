import Foundation
import NN
import NNCatalogue
import NNSpec
import NNTensor
import Testing
@testable import NNRun

/// One catalogue argument set to another value than in its layer's base: the built module must
/// print as PyTorch prints the same constructor call, and its description, state or output on a
/// fixed input must differ from the base's (so no accepted argument is silently dropped), or the
/// validator must refuse the value.
struct ArgumentVariant: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        /// PyTorch's `print(module)` of the variant.
        case prints(String)
        /// PyTorch's `print(module)` of the variant, which is the base's (Hardswish never prints
        /// `inplace`): the built module's `inplace` must be set instead.
        case printsInplaceUnseen(String)
        /// A part of the validator's error message.
        case refused(String)
    }

    let typeName: String
    /// The spec's `input` for the base and the variant.
    let input: String
    /// The base layer's arguments, YAML values by name.
    let base: [String: String]
    let argument: String
    /// The argument's YAML value in the variant.
    let value: String
    /// The spec's `input` for the variant, when the new value needs another one.
    let variantInput: String?
    let expectation: Expectation

    var testDescription: String { "\(typeName) \(argument): \(value)" }

    /// A one-layer spec of this type with `arguments`.
    func spec(input: String, arguments: [String: String]) -> String {
        let mapping = (["type: \(typeName)"] + arguments.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })
        return "nnspec: 1\ninput: \(input)\nlayers:\n  - {\(mapping.joined(separator: ", "))}\n"
    }

    var baseSpec: String { spec(input: input, arguments: base) }
    var variantSpec: String { spec(input: variantInput ?? input, arguments: base.merging([argument: value]) { $1 }) }
}

/// Each layer type's base arguments and its variants, one argument each.
private struct LayerVariants {
    let typeName: String, input: String, base: [String: String]
    let variants: [(argument: String, value: String, input: String?, expectation: ArgumentVariant.Expectation)]

    init(_ typeName: String, input: String, base: [String: String] = [:],
         _ variants: [(argument: String, value: String, input: String?, expectation: ArgumentVariant.Expectation)]) {
        (self.typeName, self.input, self.base, self.variants) = (typeName, input, base, variants)
    }

    var all: [ArgumentVariant] {
        variants.map {
            ArgumentVariant(typeName: typeName, input: input, base: base, argument: $0.argument, value: $0.value,
                            variantInput: $0.input, expectation: $0.expectation)
        }
    }
}

/// Every argument of every catalogue layer reaches the module its catalogue entry builds.
///
/// The expected prints are PyTorch's, made with tools/torch_print.py's `module()` (which also
/// defines nnspec's own Reshape and Concat) from the same bases and variants:
/// ```python
/// import sys; sys.path.insert(0, "tools")
/// from torch_print import module
/// cases = [
///     ("Linear", {"in_features": 4, "out_features": 3}, [{"in_features": 5}, {"out_features": 2}, {"bias": False}]),
///     ("Conv2d", {"in_channels": 2, "out_channels": 4, "kernel_size": 3},
///      [{"in_channels": 4}, {"out_channels": 2}, {"kernel_size": (3, 2)}, {"stride": 2}, {"padding": 1},
///       {"padding": "same"}, {"padding": "valid"}, {"dilation": 2}, {"groups": 2}, {"bias": False}]),
///     ("Conv1d", {"in_channels": 2, "out_channels": 4, "kernel_size": 3},
///      [{"in_channels": 4}, {"out_channels": 2}, {"kernel_size": 2}, {"stride": 2}, {"padding": 1},
///       {"padding": "same"}, {"padding": "valid"}, {"dilation": 2}, {"groups": 2}, {"bias": False}]),
///     ("ConvTranspose2d", {"in_channels": 2, "out_channels": 4, "kernel_size": 3},
///      [{"in_channels": 4}, {"out_channels": 2}, {"kernel_size": (3, 2)}, {"stride": 2}, {"padding": 1},
///       {"groups": 2}, {"bias": False}, {"dilation": 2}]),
///     ("ConvTranspose2d", {"in_channels": 2, "out_channels": 4, "kernel_size": 3, "stride": 2}, [{"output_padding": 1}]),
///     ("Upsample", {"scale_factor": 2}, [{"scale_factor": 3}, {"mode": "bilinear"}]),
///     ("Upsample", {"size": (4, 5)}, [{"size": 6}]),
///     ("Upsample", {"scale_factor": 1.7, "mode": "bilinear"}, [{"align_corners": True}, {"recompute_scale_factor": True}]),
///     ("GroupNorm", {"num_groups": 2, "num_channels": 4},
///      [{"num_groups": 4}, {"num_channels": 6}, {"eps": 0.001}, {"affine": False}, {"bias": False}]),
///     ("InstanceNorm2d", {"num_features": 3}, [{"num_features": 4}, {"eps": 0.001}, {"momentum": 0.5}, {"momentum": None},
///       {"affine": True}, {"track_running_stats": True}]),
///     ("InstanceNorm2d", {"num_features": 3, "affine": True}, [{"bias": False}]),
///     ("MaxPool1d", {"kernel_size": 2}, [{"kernel_size": 3}, {"stride": 1}, {"padding": 1}, {"dilation": 2}, {"ceil_mode": True}]),
///     ("AvgPool1d", {"kernel_size": 2}, [{"kernel_size": 3}, {"stride": 1}, {"padding": 1}, {"ceil_mode": True}]),
///     ("AvgPool1d", {"kernel_size": 3, "padding": 1}, [{"count_include_pad": False}]),
///     ("AdaptiveAvgPool1d", {"output_size": 2}, [{"output_size": 3}]),
///     ("MaxPool2d", {"kernel_size": 2}, [{"kernel_size": 3}, {"stride": 1}, {"padding": 1}, {"dilation": 2}, {"ceil_mode": True}]),
///     ("AvgPool2d", {"kernel_size": 2}, [{"kernel_size": 3}, {"stride": 1}, {"padding": 1}, {"ceil_mode": True}]),
///     ("AvgPool2d", {"kernel_size": 3, "padding": 1}, [{"count_include_pad": False}]),
///     ("AdaptiveAvgPool2d", {"output_size": 2}, [{"output_size": (3, 1)}]),
///     *[(kind, {"num_features": 3}, [{"num_features": 4}, {"eps": 0.001}, {"momentum": 0.5}, {"momentum": None},
///        {"affine": False}, {"track_running_stats": False}, {"bias": False}]) for kind in ("BatchNorm1d", "BatchNorm2d")],
///     ("LayerNorm", {"normalized_shape": 3},
///      [{"normalized_shape": (2, 3)}, {"eps": 0.001}, {"elementwise_affine": False}, {"bias": False}]),
///     ("Flatten", {}, [{"start_dim": 2}, {"end_dim": 2}]),
///     ("Reshape", {"shape": (3, 4)}, [{"shape": (4, 3)}]),
///     ("Transpose", {"dim0": 1, "dim1": 2}, [{"dim0": 3}, {"dim1": 3}]),
///     ("Softmax", {"dim": 1}, [{"dim": 2}, {"dim": None}]),
///     ("LogSoftmax", {"dim": 1}, [{"dim": 2}, {"dim": None}]),
///     ("Concat", {"dim": 1}, [{"dim": 2}]),
///     ("ReLU", {}, [{"inplace": True}]),
///     ("LeakyReLU", {}, [{"negative_slope": 0.2}, {"inplace": True}]),
///     ("ELU", {}, [{"alpha": 0.5}, {"inplace": True}]),
///     ("GELU", {}, [{"approximate": "tanh"}]),
///     *[(kind, {}, [{"inplace": True}]) for kind in ("ReLU6", "SiLU", "Hardswish", "Mish")],
///     ("Softplus", {}, [{"beta": 2.0}, {"threshold": 1.0}]),
///     ("Dropout", {}, [{"p": 0.2}, {"inplace": True}]),
///     ("Embedding", {"num_embeddings": 6, "embedding_dim": 3}, [{"num_embeddings": 8}, {"embedding_dim": 2},
///      {"padding_idx": 0}, {"norm_type": 1.0}, {"scale_grad_by_freq": True}]),
///     *[(kind, {"input_size": 3, "hidden_size": 4, "batch_first": True},
///        [{"input_size": 2}, {"hidden_size": 2}, {"num_layers": 2}, {"bias": False}, {"dropout": 0.5},
///         {"bidirectional": True}, {"nonlinearity": "relu"} if kind == "RNN" else {}]) for kind in ("RNN", "LSTM", "GRU")],
///     ("MultiheadAttention", {"embed_dim": 8, "num_heads": 2, "batch_first": True}, [{"embed_dim": 4}, {"bias": False}]),
///     *[(kind, {"d_model": 8, "nhead": 2, "dim_feedforward": 16, "batch_first": True},
///        [{"d_model": 4}, {"dim_feedforward": 12}, {"dropout": 0.2}, {"layer_norm_eps": 0.001}, {"bias": False}])
///       for kind in ("TransformerEncoderLayer", "TransformerDecoderLayer")],
/// ]
/// for kind, base, variants in cases:
///     for variant in variants: print(module({"type": kind, **base, **variant}))
/// ```
/// (`transformerPrint` writes those transformer prints from their sizes, line for line.) Arguments
/// PyTorch does not print (num_heads, nhead, activation, norm_first, causal, RNN's nonlinearity,
/// output) change the output instead; nnspec's LearnedPositionalEmbedding prints as its module defines.
@Suite struct LayerArgumentCoverageTests {
    static let variants: [ArgumentVariant] = ([
        LayerVariants("Linear", input: "[N, 4]", base: ["in_features": "4", "out_features": "3"], [
            ("in_features", "5", "[N, 5]", .prints("Linear(in_features=5, out_features=3, bias=True)")),
            ("out_features", "2", nil, .prints("Linear(in_features=4, out_features=2, bias=True)")),
            ("bias", "false", nil, .prints("Linear(in_features=4, out_features=3, bias=False)")),
            // A one-layer spec has no Embedding to tie to; specs/valid/tied-weights.yaml and
            // specs/parity/char-transformer-lm-tied.yaml show the tie taking effect.
            ("tie_weight", "tok", nil, .refused("tie_weight names tok, which is not a module before it")),
        ]),
        LayerVariants("Conv2d", input: "[N, 2, 6, 6]", base: ["in_channels": "2", "out_channels": "4", "kernel_size": "3"], [
            ("in_channels", "4", "[N, 4, 6, 6]", .prints("Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1))")),
            ("out_channels", "2", nil, .prints("Conv2d(2, 2, kernel_size=(3, 3), stride=(1, 1))")),
            ("kernel_size", "[3, 2]", nil, .prints("Conv2d(2, 4, kernel_size=(3, 2), stride=(1, 1))")),
            ("stride", "2", nil, .prints("Conv2d(2, 4, kernel_size=(3, 3), stride=(2, 2))")),
            ("padding", "1", nil, .prints("Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))")),
            ("padding", "same", nil, .prints("Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=same)")),
            ("padding", "valid", nil, .prints("Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=valid)")),
            ("dilation", "2", nil, .prints("Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), dilation=(2, 2))")),
            ("groups", "2", nil, .prints("Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), groups=2)")),
            ("bias", "false", nil, .prints("Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), bias=False)")),
            ("padding_mode", "reflect", nil, .refused("padding_mode")),
        ]),
        LayerVariants("Conv1d", input: "[N, 2, 7]", base: ["in_channels": "2", "out_channels": "4", "kernel_size": "3"], [
            ("in_channels", "4", "[N, 4, 7]", .prints("Conv1d(4, 4, kernel_size=(3,), stride=(1,))")),
            ("out_channels", "2", nil, .prints("Conv1d(2, 2, kernel_size=(3,), stride=(1,))")),
            ("kernel_size", "2", nil, .prints("Conv1d(2, 4, kernel_size=(2,), stride=(1,))")),
            ("stride", "2", nil, .prints("Conv1d(2, 4, kernel_size=(3,), stride=(2,))")),
            ("padding", "1", nil, .prints("Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=(1,))")),
            ("padding", "same", nil, .prints("Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=same)")),
            ("padding", "valid", nil, .prints("Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=valid)")),
            ("padding", "[1, 1]", nil, .refused("is not one size")),
            ("dilation", "2", nil, .prints("Conv1d(2, 4, kernel_size=(3,), stride=(1,), dilation=(2,))")),
            ("groups", "2", nil, .prints("Conv1d(2, 4, kernel_size=(3,), stride=(1,), groups=2)")),
            ("bias", "false", nil, .prints("Conv1d(2, 4, kernel_size=(3,), stride=(1,), bias=False)")),
            ("padding_mode", "reflect", nil, .refused("padding_mode")),
        ]),
        LayerVariants("ConvTranspose2d", input: "[N, 2, 5, 5]", base: ["in_channels": "2", "out_channels": "4", "kernel_size": "3"], [
            ("in_channels", "4", "[N, 4, 5, 5]", .prints("ConvTranspose2d(4, 4, kernel_size=(3, 3), stride=(1, 1))")),
            ("out_channels", "2", nil, .prints("ConvTranspose2d(2, 2, kernel_size=(3, 3), stride=(1, 1))")),
            ("kernel_size", "[3, 2]", nil, .prints("ConvTranspose2d(2, 4, kernel_size=(3, 2), stride=(1, 1))")),
            ("stride", "2", nil, .prints("ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2))")),
            ("padding", "1", nil, .prints("ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))")),
            ("output_padding", "1", nil, .refused("output_padding 1 must be smaller than either stride 1 or dilation 1")),
            ("groups", "2", nil, .prints("ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(1, 1), groups=2)")),
            ("bias", "false", nil, .prints("ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(1, 1), bias=False)")),
            ("dilation", "2", nil, .prints("ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(1, 1), dilation=(2, 2))")),
            ("padding_mode", "reflect", nil, .refused("padding_mode")),
        ]),
        LayerVariants("ConvTranspose2d", input: "[N, 2, 5, 5]",
                      base: ["in_channels": "2", "out_channels": "4", "kernel_size": "3", "stride": "2"], [
            ("output_padding", "1", nil,
             .prints("ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))")),
        ]),
        LayerVariants("Upsample", input: "[N, 2, 3, 4]", base: ["scale_factor": "2"], [
            ("scale_factor", "3", nil, .prints("Upsample(scale_factor=3.0, mode='nearest')")),
            ("mode", "bilinear", nil, .prints("Upsample(scale_factor=2.0, mode='bilinear')")),
            ("align_corners", "true", nil, .refused("align_corners can only be set with mode 'bilinear'")),
            ("size", "[4, 5]", nil, .refused("takes size or scale_factor, not both")),
        ]),
        LayerVariants("Upsample", input: "[N, 2, 3, 4]", base: ["size": "[4, 5]"], [
            ("size", "6", nil, .prints("Upsample(size=6, mode='nearest')")),
            ("recompute_scale_factor", "true", nil, .refused("recompute_scale_factor is not meaningful with an explicit size")),
        ]),
        LayerVariants("Upsample", input: "[N, 2, 3, 4]", base: ["scale_factor": "1.7", "mode": "bilinear"], [
            ("align_corners", "true", nil, .prints("Upsample(scale_factor=1.7, mode='bilinear')")),
            ("recompute_scale_factor", "true", nil, .prints("Upsample(scale_factor=1.7, mode='bilinear')")),
        ]),
        LayerVariants("GroupNorm", input: "[N, 4, 3]", base: ["num_groups": "2", "num_channels": "4"], [
            ("num_groups", "4", nil, .prints("GroupNorm(4, 4, eps=1e-05, affine=True, bias=True)")),
            ("num_groups", "3", nil, .refused("num_channels 4 is not divisible by num_groups 3")),
            ("num_channels", "6", "[N, 6, 3]", .prints("GroupNorm(2, 6, eps=1e-05, affine=True, bias=True)")),
            ("eps", "0.001", nil, .prints("GroupNorm(2, 4, eps=0.001, affine=True, bias=True)")),
            ("affine", "false", nil, .prints("GroupNorm(2, 4, eps=1e-05, affine=False, bias=False)")),
            ("bias", "false", nil, .prints("GroupNorm(2, 4, eps=1e-05, affine=True, bias=False)")),
        ]),
        LayerVariants("InstanceNorm2d", input: "[N, 3, 4, 4]", base: ["num_features": "3"], [
            ("num_features", "4", "[N, 4, 4, 4]",
             .prints("InstanceNorm2d(4, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=False)")),
            ("eps", "0.001", nil, .prints("InstanceNorm2d(3, eps=0.001, momentum=0.1, affine=False, bias=False, track_running_stats=False)")),
            ("momentum", "0.5", nil, .prints("InstanceNorm2d(3, eps=1e-05, momentum=0.5, affine=False, bias=False, track_running_stats=False)")),
            ("momentum", "null", nil,
             .prints("InstanceNorm2d(3, eps=1e-05, momentum=None, affine=False, bias=False, track_running_stats=False)")),
            ("affine", "true", nil, .prints("InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=False)")),
            ("track_running_stats", "true", nil,
             .prints("InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=True)")),
        ]),
        LayerVariants("InstanceNorm2d", input: "[N, 3, 4, 4]", base: ["num_features": "3", "affine": "true"], [
            ("bias", "false", nil, .prints("InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=False, track_running_stats=False)")),
        ]),
        LayerVariants("MaxPool1d", input: "[N, 2, 7]", base: ["kernel_size": "2"], [
            ("kernel_size", "3", nil, .prints("MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)")),
            ("stride", "1", nil, .prints("MaxPool1d(kernel_size=2, stride=1, padding=0, dilation=1, ceil_mode=False)")),
            ("padding", "1", nil, .prints("MaxPool1d(kernel_size=2, stride=2, padding=1, dilation=1, ceil_mode=False)")),
            ("dilation", "2", nil, .prints("MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=2, ceil_mode=False)")),
            ("return_indices", "true", nil, .refused("return_indices: true returns a pair")),
            ("ceil_mode", "true", nil, .prints("MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=True)")),
        ]),
        LayerVariants("AvgPool1d", input: "[N, 2, 7]", base: ["kernel_size": "2"], [
            ("kernel_size", "3", nil, .prints("AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))")),
            ("stride", "1", nil, .prints("AvgPool1d(kernel_size=(2,), stride=(1,), padding=(0,))")),
            ("padding", "1", nil, .prints("AvgPool1d(kernel_size=(2,), stride=(2,), padding=(1,))")),
            ("ceil_mode", "true", nil, .prints("AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))")),
        ]),
        LayerVariants("AvgPool1d", input: "[N, 2, 7]", base: ["kernel_size": "3", "padding": "1"], [
            ("count_include_pad", "false", nil, .prints("AvgPool1d(kernel_size=(3,), stride=(3,), padding=(1,))")),
        ]),
        LayerVariants("AdaptiveAvgPool1d", input: "[N, 2, 6]", base: ["output_size": "2"], [
            ("output_size", "3", nil, .prints("AdaptiveAvgPool1d(output_size=3)")),
        ]),
        LayerVariants("MaxPool2d", input: "[N, 2, 7, 7]", base: ["kernel_size": "2"], [
            ("kernel_size", "3", nil, .prints("MaxPool2d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)")),
            ("stride", "1", nil, .prints("MaxPool2d(kernel_size=2, stride=1, padding=0, dilation=1, ceil_mode=False)")),
            ("padding", "1", nil, .prints("MaxPool2d(kernel_size=2, stride=2, padding=1, dilation=1, ceil_mode=False)")),
            ("dilation", "2", nil, .prints("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=2, ceil_mode=False)")),
            ("return_indices", "true", nil, .refused("return_indices: true returns a pair")),
            ("ceil_mode", "true", nil, .prints("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=True)")),
        ]),
        LayerVariants("AvgPool2d", input: "[N, 2, 7, 7]", base: ["kernel_size": "2"], [
            ("kernel_size", "3", nil, .prints("AvgPool2d(kernel_size=3, stride=3, padding=0)")),
            ("stride", "1", nil, .prints("AvgPool2d(kernel_size=2, stride=1, padding=0)")),
            ("padding", "1", nil, .prints("AvgPool2d(kernel_size=2, stride=2, padding=1)")),
            ("ceil_mode", "true", nil, .prints("AvgPool2d(kernel_size=2, stride=2, padding=0)")),
            ("divisor_override", "3", nil, .refused("divisor_override 3 is not supported")),
        ]),
        LayerVariants("AvgPool2d", input: "[N, 2, 7, 7]", base: ["kernel_size": "3", "padding": "1"], [
            ("count_include_pad", "false", nil, .prints("AvgPool2d(kernel_size=3, stride=3, padding=1)")),
        ]),
        LayerVariants("AdaptiveAvgPool2d", input: "[N, 2, 6, 6]", base: ["output_size": "2"], [
            ("output_size", "[3, 1]", nil, .prints("AdaptiveAvgPool2d(output_size=(3, 1))")),
        ]),
        batchNormVariants("BatchNorm1d", input: "[N, 3]", widerInput: "[N, 4]"),
        batchNormVariants("BatchNorm2d", input: "[N, 3, 2, 2]", widerInput: "[N, 4, 2, 2]"),
        LayerVariants("LayerNorm", input: "[N, 2, 3]", base: ["normalized_shape": "3"], [
            ("normalized_shape", "[2, 3]", nil, .prints("LayerNorm((2, 3), eps=1e-05, elementwise_affine=True, bias=True)")),
            ("eps", "0.001", nil, .prints("LayerNorm((3,), eps=0.001, elementwise_affine=True, bias=True)")),
            ("elementwise_affine", "false", nil, .prints("LayerNorm((3,), eps=1e-05, elementwise_affine=False, bias=False)")),
            ("bias", "false", nil, .prints("LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=False)")),
        ]),
        LayerVariants("Flatten", input: "[N, 2, 3, 4]", [
            ("start_dim", "2", nil, .prints("Flatten(start_dim=2, end_dim=-1)")),
            ("end_dim", "2", nil, .prints("Flatten(start_dim=1, end_dim=2)")),
        ]),
        LayerVariants("Reshape", input: "[N, 2, 6]", base: ["shape": "[3, 4]"], [
            ("shape", "[4, 3]", nil, .prints("Reshape(shape=(4, 3))")),
        ]),
        LayerVariants("Transpose", input: "[N, 2, 3, 4]", base: ["dim0": "1", "dim1": "2"], [
            ("dim0", "3", nil, .prints("Transpose(dim0=3, dim1=2)")),
            ("dim1", "3", nil, .prints("Transpose(dim0=1, dim1=3)")),
        ]),
        softmaxVariants("Softmax"),
        softmaxVariants("LogSoftmax"),
        LayerVariants("Concat", input: "[N, 2, 3]", base: ["dim": "1", "from": "[input, input]"], [
            ("dim", "2", nil, .prints("Concat(dim=2)")),
        ]),
        LayerVariants("ReLU", input: "[N, 4]", [("inplace", "true", nil, .prints("ReLU(inplace=True)"))]),
        LayerVariants("LeakyReLU", input: "[N, 4]", [
            ("negative_slope", "0.2", nil, .prints("LeakyReLU(negative_slope=0.2)")),
            ("inplace", "true", nil, .prints("LeakyReLU(negative_slope=0.01, inplace=True)")),
        ]),
        LayerVariants("ELU", input: "[N, 4]", [
            ("alpha", "0.5", nil, .prints("ELU(alpha=0.5)")),
            ("inplace", "true", nil, .prints("ELU(alpha=1.0, inplace=True)")),
        ]),
        LayerVariants("GELU", input: "[N, 4]", [("approximate", "tanh", nil, .prints("GELU(approximate='tanh')"))]),
        LayerVariants("ReLU6", input: "[N, 4]", [("inplace", "true", nil, .prints("ReLU6(inplace=True)"))]),
        LayerVariants("SiLU", input: "[N, 4]", [("inplace", "true", nil, .prints("SiLU(inplace=True)"))]),
        LayerVariants("Hardswish", input: "[N, 4]", [("inplace", "true", nil, .printsInplaceUnseen("Hardswish()"))]),
        LayerVariants("Mish", input: "[N, 4]", [("inplace", "true", nil, .prints("Mish(inplace=True)"))]),
        LayerVariants("Softplus", input: "[N, 4]", [
            ("beta", "2.0", nil, .prints("Softplus(beta=2.0, threshold=20.0)")),
            ("beta", "0", nil, .refused("would make every output infinite or NaN")),
            ("threshold", "1.0", nil, .prints("Softplus(beta=1.0, threshold=1.0)")),
        ]),
        LayerVariants("Dropout", input: "[N, 4]", [
            ("p", "0.2", nil, .prints("Dropout(p=0.2, inplace=False)")),
            ("inplace", "true", nil, .prints("Dropout(p=0.5, inplace=True)")),
        ]),
        LayerVariants("Embedding", input: "[N, 4]", base: ["num_embeddings": "6", "embedding_dim": "3"], [
            ("num_embeddings", "8", nil, .prints("Embedding(8, 3)")),
            ("embedding_dim", "2", nil, .prints("Embedding(6, 2)")),
            ("padding_idx", "0", nil, .prints("Embedding(6, 3, padding_idx=0)")),
            ("max_norm", "1.0", nil, .refused("max_norm 1.0 is not supported")),
            ("norm_type", "1.0", nil, .prints("Embedding(6, 3, norm_type=1.0)")),
            ("scale_grad_by_freq", "true", nil, .prints("Embedding(6, 3, scale_grad_by_freq=True)")),
            ("sparse", "true", nil, .refused("sparse gradients are not supported")),
        ]),
        recurrentVariants("RNN", [("nonlinearity", "relu", nil, .prints("RNN(3, 4, batch_first=True)"))]),
        recurrentVariants("LSTM", [("proj_size", "2", nil, .refused("proj_size is not supported"))]),
        recurrentVariants("GRU", []),
        LayerVariants("MultiheadAttention", input: "[N, 5, 8]", base: ["embed_dim": "8", "num_heads": "2", "batch_first": "true"], [
            ("embed_dim", "4", "[N, 5, 4]", .prints(attentionPrint(4, bias: true))),
            ("num_heads", "4", nil, .prints(attentionPrint(8, bias: true))),
            ("dropout", "0.5", nil, .prints(attentionPrint(8, bias: true))),
            ("bias", "false", nil, .prints(attentionPrint(8, bias: false))),
            ("batch_first", "false", nil, .refused("with batch_first false reads [L, N, embed_dim]")),
            ("causal", "true", nil, .prints(attentionPrint(8, bias: true))),
        ]),
        transformerVariants("TransformerEncoderLayer", base: [:]),
        transformerVariants("TransformerDecoderLayer", base: ["from": "[input, input]"]),
        LayerVariants("TransformerEncoder", input: "[N, 5, 8]", base: ["encoder_layer": encoderLayer, "num_layers": "2"], [
            ("num_layers", "3", nil, .prints(transformerEncoderPrint(copies: 3))),
        ]),
        LayerVariants("LearnedPositionalEmbedding", input: "[N, 5, 4]", base: ["max_len": "6", "embedding_dim": "4"], [
            ("max_len", "8", nil, .prints("LearnedPositionalEmbedding(max_len=8, embedding_dim=4)")),
            ("embedding_dim", "3", "[N, 5, 3]", .prints("LearnedPositionalEmbedding(max_len=6, embedding_dim=3)")),
        ]),
    ] as [LayerVariants]).flatMap(\.all)

    /// PyTorch's print of `nn.MultiheadAttention(e, …, bias=bias)`, indented by `indent` after its first line.
    private static func attentionPrint(_ e: Int, bias: Bool, indent: String = "") -> String {
        "MultiheadAttention(\n\(indent)  (out_proj): NonDynamicallyQuantizableLinear(in_features=\(e), out_features=\(e), bias=\(bias ? "True" : "False"))\n\(indent))"
    }

    /// PyTorch's print of a TransformerEncoderLayer or TransformerDecoderLayer of these sizes.
    private static func transformerPrint(_ typeName: String, d: Int = 8, ff: Int = 16, p: String = "0.1", eps: String = "1e-05",
                                         bias: Bool = true) -> String {
        let decoder = typeName == "TransformerDecoderLayer"
        let b = bias ? "True" : "False"
        let attention = ["self_attn"] + (decoder ? ["multihead_attn"] : [])
        let lines = attention.map { "(\($0)): " + attentionPrint(d, bias: bias, indent: "  ") } + [
            "(linear1): Linear(in_features=\(d), out_features=\(ff), bias=\(b))", "(dropout): Dropout(p=\(p), inplace=False)",
            "(linear2): Linear(in_features=\(ff), out_features=\(d), bias=\(b))",
        ] + (1...(decoder ? 3 : 2)).map { "(norm\($0)): LayerNorm((\(d),), eps=\(eps), elementwise_affine=True, bias=\(b))" }
            + (1...(decoder ? 3 : 2)).map { "(dropout\($0)): Dropout(p=\(p), inplace=False)" }
        return "\(typeName)(\n" + lines.map { "  " + $0 }.joined(separator: "\n") + "\n)"
    }

    /// TransformerEncoder's base `encoder_layer` (its sizes as `transformerPrint`'s defaults).
    static let encoderLayer = "{type: TransformerEncoderLayer, d_model: 8, nhead: 2, dim_feedforward: 16, batch_first: true}"

    /// PyTorch's print of `nn.TransformerEncoder(layer, copies, norm)`: ModuleList prints the equal copies once.
    private static func transformerEncoderPrint(copies: Int, norm: Bool = false) -> String {
        let layer = transformerPrint("TransformerEncoderLayer").replacing("\n", with: "\n    ")
        return "TransformerEncoder(\n  (layers): ModuleList(\n    (0-\(copies - 1)): \(copies) x \(layer)\n  )\n"
            + (norm ? "  (norm): LayerNorm((8,), eps=1e-05, elementwise_affine=True, bias=True)\n" : "") + ")"
    }

    /// PyTorch deep-copies TransformerEncoder's encoder_layer: the copies start with the weights of one
    /// TransformerEncoderLayer written in its place, and the layer after them too (the generator
    /// advances as for one layer; LayerNorm draws nothing). The norm prints after the layers.
    @Test func transformerEncoderCopiesOneLayer() throws {
        let stack = try Self.built("""
            nnspec: 1
            input: [N, 5, 8]
            layers:
              - {type: TransformerEncoder, encoder_layer: \(Self.encoderLayer), num_layers: 2, norm: {type: LayerNorm, normalized_shape: 8}}
              - {type: Linear, in_features: 8, out_features: 3}
            """).network
        let single = try Self.built("""
            nnspec: 1
            input: [N, 5, 8]
            layers:
              - \(Self.encoderLayer)
              - {type: Linear, in_features: 8, out_features: 3}
            """).network
        #expect(stack.children.first?.module.description == Self.transformerEncoderPrint(copies: 2, norm: true))
        let state = Dictionary(uniqueKeysWithValues: stack.stateDictionary().map { ($0.name, $0.variable.value.scalars) })
        for entry in single.stateDictionary() {
            let name = entry.name.hasPrefix("0.") ? String(entry.name.dropFirst(2)) : nil
            let expected = entry.variable.value.scalars
            if let name {
                #expect(state["0.layers.0.\(name)"] == expected, "layers.0.\(name)")
                #expect(state["0.layers.1.\(name)"] == expected, "layers.1.\(name)")
            } else {
                #expect(state[entry.name] == expected, "\(entry.name)")
            }
        }
        #expect(state.keys.contains("0.norm.weight"))
    }

    /// The transformer layers' variants; `base` adds the decoder's `from`.
    private static func transformerVariants(_ typeName: String, base: [String: String]) -> LayerVariants {
        let print = { (text: String) in ArgumentVariant.Expectation.prints(text) }
        let same = print(transformerPrint(typeName))
        return LayerVariants(typeName, input: "[N, 5, 8]",
                             base: base.merging(["d_model": "8", "nhead": "2", "dim_feedforward": "16", "batch_first": "true"]) { $1 }, [
            ("d_model", "4", "[N, 5, 4]", print(transformerPrint(typeName, d: 4))),
            ("nhead", "4", nil, same),
            ("dim_feedforward", "12", nil, print(transformerPrint(typeName, ff: 12))),
            ("dropout", "0.2", nil, print(transformerPrint(typeName, p: "0.2"))),
            ("activation", "gelu", nil, same),
            ("layer_norm_eps", "0.001", nil, print(transformerPrint(typeName, eps: "0.001"))),
            ("batch_first", "false", nil, .refused("with batch_first false reads [L, N, d_model]")),
            ("norm_first", "true", nil, same),
            ("bias", "false", nil, print(transformerPrint(typeName, bias: false))),
            ("causal", "true", nil, same),
        ])
    }

    /// The arguments RNN, LSTM and GRU share, and `own` ones; `output` changes the output, not the print.
    private static func recurrentVariants(
        _ typeName: String, _ own: [(argument: String, value: String, input: String?, expectation: ArgumentVariant.Expectation)]
    ) -> LayerVariants {
        let print = { (arguments: String) in ArgumentVariant.Expectation.prints("\(typeName)(\(arguments))") }
        return LayerVariants(typeName, input: "[N, 5, 3]", base: ["input_size": "3", "hidden_size": "4", "batch_first": "true"], [
            ("input_size", "2", "[N, 5, 2]", print("2, 4, batch_first=True")),
            ("hidden_size", "2", nil, print("3, 2, batch_first=True")),
            ("num_layers", "2", nil, print("3, 4, num_layers=2, batch_first=True")),
            ("bias", "false", nil, print("3, 4, bias=False, batch_first=True")),
            ("batch_first", "false", nil, .refused("with batch_first false reads [L, N, input_size]")),
            ("dropout", "0.5", nil, print("3, 4, batch_first=True, dropout=0.5")),
            ("bidirectional", "true", nil, print("3, 4, batch_first=True, bidirectional=True")),
            ("output", "last", nil, print("3, 4, batch_first=True")),
        ] + own)
    }

    private static func batchNormVariants(_ typeName: String, input: String, widerInput: String) -> LayerVariants {
        let print = { (arguments: String) in ArgumentVariant.Expectation.prints("\(typeName)(\(arguments))") }
        return LayerVariants(typeName, input: input, base: ["num_features": "3"], [
            ("num_features", "4", widerInput, print("4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True")),
            ("eps", "0.001", nil, print("3, eps=0.001, momentum=0.1, affine=True, bias=True, track_running_stats=True")),
            ("momentum", "0.5", nil, print("3, eps=1e-05, momentum=0.5, affine=True, bias=True, track_running_stats=True")),
            ("momentum", "null", nil, print("3, eps=1e-05, momentum=None, affine=True, bias=True, track_running_stats=True")),
            ("affine", "false", nil, print("3, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=True")),
            ("track_running_stats", "false", nil,
             print("3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=False")),
            ("bias", "false", nil, print("3, eps=1e-05, momentum=0.1, affine=True, bias=False, track_running_stats=True")),
        ])
    }

    private static func softmaxVariants(_ typeName: String) -> LayerVariants {
        LayerVariants(typeName, input: "[N, 3, 4]", base: ["dim": "1"], [
            ("dim", "2", nil, .prints("\(typeName)(dim=2)")),
            ("dim", "null", nil, .prints("\(typeName)(dim=None)")),
        ])
    }

    @Test func everyCatalogueArgumentHasAVariant() {
        let covered = Set(Self.variants.map { "\($0.typeName).\($0.argument)" })
        let accepted = StandardCatalogue.layers.flatMap { layer in layer.arguments.map { "\(layer.typeName).\($0.name)" } }
        #expect(accepted.filter { !covered.contains($0) } == [])
    }

    @Test(arguments: variants)
    func variantReachesTheModule(_ variant: ArgumentVariant) throws {
        switch variant.expectation {
        case .refused(let message):
            let result = SpecValidator.standard.validate(
                source: Array(variant.variantSpec.utf8), file: "variant.yaml", baseDirectory: repositoryRoot.path)
            #expect(result.spec == nil)
            #expect(result.diagnostics.contains { $0.message.contains(message) }, "\(result.diagnostics.map(\.message))")
        case .prints(let expected):
            let (base, changed) = (try Self.built(variant.baseSpec), try Self.built(variant.variantSpec))
            #expect(changed.network.children.first?.module.description == expected)
            #expect(try Self.fingerprint(of: changed) != Self.fingerprint(of: base))
        case .printsInplaceUnseen(let expected):
            let module = try Self.built(variant.variantSpec).network.children.first?.module
            #expect(module?.description == expected)
            #expect((module as? InplaceActivation)?.inplace == true)
        }
    }

    /// The one-layer network of `text`, with its input's sample sizes.
    static func built(_ text: String) throws -> (network: Module, sample: [Int]) {
        let spec = try validatedSpec(text)
        var generator = RandomGenerator(seed: 0)
        return (try NetworkBuilder.build(spec, generator: &generator), spec.input.sampleSizes)
    }

    /// The network's description, its output for a fixed batch of two in training mode, and its
    /// state (parameters, then buffers with their running statistics) after that forward pass.
    static func fingerprint(of built: (network: Module, sample: [Int])) throws -> String {
        let shape = [2] + built.sample
        // Token ids 0…4 for an Embedding, which refuses anything else.
        let tokens = built.network.children.first?.module is Embedding
        let scalars = (0..<shape.reduce(1, *)).map { tokens ? Float($0 % 5) : 2 * sin(0.7 * Float($0) + 0.3) }
        let output = try built.network(Variable(Tensor(shape: shape, scalars: scalars)))
        let state = built.network.stateDictionary().map { "\($0.name) \($0.variable.shape) \($0.variable.value.scalars)" }
        return ([built.network.description, "\(output.shape) \(output.value.scalars)"] + state).joined(separator: "\n")
    }
}
