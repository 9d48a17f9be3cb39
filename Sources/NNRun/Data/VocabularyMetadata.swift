import Foundation
import NN
import NNData

/// A text model's vocabulary in its weights file: the safetensors metadata entry `nnspec_vocabulary`,
/// `{"tokens":["\n","a",…],"unit":"characters"}` (index i is class i), written by `train --save` and
/// read by `sample`, so the indices a network was trained with travel with its weights.
/// PyTorch's `safetensors.safe_open(path, "pt").metadata()["nnspec_vocabulary"]` reads it too.
public enum VocabularyMetadata {
    public static let key = "nnspec_vocabulary"

    /// The metadata entry for `vocabulary`.
    static func entry(_ vocabulary: TextVocabulary) -> (key: String, value: String) {
        let object: [String: Any] = ["unit": vocabulary.unit.rawValue, "tokens": vocabulary.tokens]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return (key, String(decoding: data, as: UTF8.self))
    }

    /// The vocabulary saved in `metadata`; throws a message naming `path` when there is none or it is damaged.
    public static func vocabulary(in metadata: [String: String], path: String) throws(TrainingError) -> TextVocabulary {
        guard let text = metadata[key] else {
            throw .weights("\(path) has no vocabulary (metadata \(key)): it was not saved by nnspec train from a text source")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let unit = (object["unit"] as? String).flatMap(TextUnit.init(rawValue:)),
            let tokens = object["tokens"] as? [String],
            let vocabulary = TextVocabulary(unit: unit, savedTokens: tokens)
        else {
            throw .weights("\(path): the vocabulary in its metadata \(key) is damaged")
        }
        return vocabulary
    }
}
