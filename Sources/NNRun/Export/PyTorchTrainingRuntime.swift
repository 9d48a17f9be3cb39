/// The part of train.py that is the same for every spec: nnspec's data readers, transforms and
/// sample order in numpy, and the training loop, single-process or under torchrun (DDP). It reads the
/// settings `PyTorchTrainingSource` writes above it (BATCH_SIZE, TRAIN, make_loss, …). Formatted by black.
enum PyTorchTrainingRuntime {
    static let source = #"""
MASK = (1 << 64) - 1
LOG_HEADER = "step,epoch,loss,lr,test_loss,test_accuracy,train_loss,wall_time\n"


class NNSpecRandom:
    """nnspec's random generator (xoshiro256** seeded through splitmix64), which draws
    `source: random` data and the sample order of `shuffle: true`."""

    def __init__(self, seed):
        x = seed & MASK
        self.state = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.state.append(z ^ (z >> 31))

    def next(self):
        s = self.state
        result = (rotate_left((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotate_left(s[3], 45)
        return result

    def normal(self):
        """A standard normal by Box–Muller in double precision, rounded to float32."""
        u1 = max((self.next() >> 11) * 2.0**-53, 5e-324)
        u2 = (self.next() >> 11) * 2.0**-53
        return np.float32(math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2))

    def unit_float(self):
        """Uniform in [0, 1) from 24 random bits, as nnspec draws BCELoss's targets."""
        return np.float32((self.next() >> 40) * 2.0**-24)

    def index_below(self, bound):
        """Uniform in 0..<bound as Swift's Int.random(in:using:) draws it (Lemire's method)."""
        product = self.next() * bound
        if product & MASK < bound:
            threshold = ((1 << 64) - bound) % bound
            while product & MASK < threshold:
                product = self.next() * bound
        return product >> 64


def rotate_left(value, bits):
    return ((value << bits) | (value >> (64 - bits))) & MASK


def random_samples(source):
    """`source: random`: per sample, its input's normals (token ids below `tokens` for a network
    that starts with an Embedding), then its class indices (one per position) or target values:
    normals, or uniform in [0, 1) for a loss that takes probabilities (BCELoss).
    """
    generator = NNSpecRandom(source["seed"])
    count = source["samples"]
    input_size = math.prod(SOURCE_SHAPE)
    classes = source["classes"] or TARGETS[1]
    shape = TARGETS[2] if TARGETS[0] == "classes" else TARGETS[1]
    target_size = math.prod(shape)
    inputs = np.empty((count, input_size), dtype=np.float32)
    values = np.empty((count, target_size), dtype=np.float32)
    labels = np.empty((count, target_size), dtype=np.int64)
    for sample in range(count):
        if source["tokens"]:
            inputs[sample] = [
                generator.index_below(source["tokens"]) for _ in range(input_size)
            ]
        else:
            inputs[sample] = [generator.normal() for _ in range(input_size)]
        if TARGETS[0] == "classes":
            labels[sample] = [
                generator.index_below(classes) for _ in range(target_size)
            ]
        elif source["probabilities"]:
            values[sample] = [generator.unit_float() for _ in range(target_size)]
        else:
            values[sample] = [generator.normal() for _ in range(target_size)]
    targets = labels if TARGETS[0] == "classes" else values
    return inputs, targets.reshape((count,) + tuple(shape))


def read_text(path):
    """A UTF-8 text file (plain or gzip) as its characters, "\\r\\n" read as "\\n"."""
    with open(path, "rb") as file:
        data = file.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8").replace("\r\n", "\n")


def vocabulary(source):
    """The tokens of a text split (the train split's make the vocabulary): its distinct characters
    by code point, after <pad> and <s> for `unit: lines`; index i is class i."""
    characters = set(read_text(os.path.join(HERE, source["path"])))
    if source["unit"] == "lines":
        return ["<pad>", "<s>"] + sorted(characters - {"\n"})
    return sorted(characters)


def text_samples(source):
    """`source: text`: windows of T token ids [count, T] and the next token at each position
    [count, T]: `characters` cuts the running text, `lines` takes one line per sample as
    `<s> line` -> `line <s>`, padded with <pad> inputs and `ignore_index` targets."""
    path = source["path"]
    text = read_text(os.path.join(HERE, path))
    index = {token: i for i, token in enumerate(vocabulary(TRAIN)) if len(token) == 1}
    length = SOURCE_SHAPE[0]

    def encoded(characters):
        unknown = next((c for c in characters if c not in index), None)
        if unknown is not None:
            raise SystemExit(
                f"{path}: the character {unknown!r} is not in the training text's vocabulary"
            )
        return [index[c] for c in characters]

    inputs, targets = [], []
    if source["unit"] == "characters":
        ids = encoded(text)
        for start in range(0, (len(ids) - 1) // length * length, length):
            inputs.append(ids[start : start + length])
            targets.append(ids[start + 1 : start + length + 1])
    else:
        lines = text.split("\n")
        for number, line in enumerate(lines[:-1] if text.endswith("\n") else lines):
            if len(line) >= length:
                raise SystemExit(
                    f"{path}:{number + 1}: the line has {len(line)} characters;"
                    f" {length} positions hold at most {length - 1} after <s>"
                )
            if line:
                ids, padding = encoded(line), length - len(line) - 1
                inputs.append([1] + ids + [0] * padding)
                targets.append(ids + [1] + [source["ignore_index"]] * padding)
    if not targets:
        raise SystemExit(f"{path}: the text is too short for one sample of {length}")
    limit = source["limit"] or len(inputs)
    inputs = np.array(inputs[:limit], dtype=np.float32)
    return inputs, np.array(targets[:limit], dtype=np.int64)


def read_idx(path):
    """An IDX file (plain or gzip) as float32 values of its dimensions."""
    with open(path, "rb") as file:
        data = file.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    kinds = {
        0x08: ">u1",
        0x09: ">i1",
        0x0B: ">i2",
        0x0C: ">i4",
        0x0D: ">f4",
        0x0E: ">f8",
    }
    rank = data[3]
    dimensions = [
        int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)
    ]
    values = np.frombuffer(
        data, dtype=kinds[data[2]], count=math.prod(dimensions), offset=4 + 4 * rank
    )
    return values.astype(np.float32).reshape(dimensions)


def read_csv(path, header):
    """The rows of a CSV file of numbers, as float32 [rows, columns], and the header row's names
    (None without one); blank lines skipped."""
    with open(path, newline="") as file:
        rows = [row for row in csv.reader(file) if any(field.strip() for field in row)]
    names = [name.strip() for name in rows[0]] if header else None
    rows = rows[1:] if header else rows
    table = np.array([[float(field) for field in row] for row in rows])
    return table.astype(np.float32), names


def column_index(column, names):
    """A column as the spec names it, by index or by its name in the header row, as an index."""
    return names.index(column) if isinstance(column, str) else column


def class_indices(labels, path):
    """Labels as class indices below the output's size; a label that is not one is an error."""
    classes = TARGETS[1]
    for row, label in enumerate(labels):
        if label != round(label) or not 0 <= label < classes:
            raise SystemExit(
                f"{path}: label {label} of sample {row} is not in 0..<{classes}"
            )
    return labels.astype(np.int64)


def file_samples(source):
    """`source: idx` or `source: csv`: inputs and targets, the first `limit` samples."""
    if source["source"] == "idx":
        images = read_idx(os.path.join(HERE, source["images"]))
        if images.ndim == 3:
            images = images[:, None]
        labels = read_idx(os.path.join(HERE, source["labels"]))
        path = source["labels"]
    else:
        table, names = read_csv(os.path.join(HERE, source["path"]), source["header"])
        columns = source["target_columns"] or [source["label_column"]]
        columns = [column_index(column, names) for column in columns]
        images, labels = np.delete(table, columns, axis=1), table[:, columns]
        path = source["path"]
    limit = source["limit"] or len(images)
    images, labels = images[:limit], labels[:limit]
    if TARGET_IS_INPUT:
        return images, None
    if TARGETS[0] == "classes":
        return images, class_indices(labels.reshape(len(labels)), path)
    return images, labels.reshape((len(labels),) + tuple(TARGETS[1]))


def transformed(inputs):
    """The spec's transforms in order: scale, per-channel normalize, zero pad of H and W."""
    for transform in TRANSFORMS:
        if transform[0] == "scale":
            inputs = inputs * np.float32(transform[1])
        elif transform[0] == "normalize":
            shape = (1, -1) + (1,) * (inputs.ndim - 2)
            mean = np.array(transform[1], dtype=np.float32).reshape(shape)
            std = np.array(transform[2], dtype=np.float32).reshape(shape)
            inputs = (inputs - mean) / std
        else:
            padding = [(0, 0)] * (inputs.ndim - 2) + [(transform[1], transform[1])] * 2
            inputs = np.pad(inputs, padding)
    return inputs


def load_split(source):
    """One split's inputs [count, *SAMPLE_SHAPE] and targets, as nnspec loads them."""
    if source["source"] == "random":
        inputs, targets = random_samples(source)
    elif source["source"] == "text":
        inputs, targets = text_samples(source)
    else:
        inputs, targets = file_samples(source)
    inputs = transformed(inputs.reshape((len(inputs),) + SOURCE_SHAPE))
    inputs = torch.from_numpy(np.ascontiguousarray(inputs))
    # `target: input`: each sample's transformed input is its target.
    return inputs, inputs.clone() if TARGET_IS_INPUT else torch.from_numpy(targets)


def sample_order(count, epoch):
    """nnspec's order of an epoch: 0, 1, 2, … or, with shuffle, its seeded permutation."""
    order = list(range(count))
    if SHUFFLE:
        generator = NNSpecRandom(SEED ^ ((epoch * 0x9E3779B97F4A7C15) & MASK))
        for index in range(count - 1, 0, -1):
            other = generator.index_below(index + 1)
            order[index], order[other] = order[other], order[index]
    return order


def global_batches(count, epoch):
    """The epoch's batches of BATCH_SIZE samples (the last one smaller unless DROP_LAST)."""
    order = sample_order(count, epoch)
    end = count - count % BATCH_SIZE if DROP_LAST else count
    return [
        order[start : min(start + BATCH_SIZE, end)]
        for start in range(0, end, BATCH_SIZE)
    ]


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--init", help="start from these weights (safetensors)")
    parser.add_argument("--steps", type=int, help="optimizer steps in all")
    parser.add_argument("--save", help="write the final weights here (safetensors)")
    parser.add_argument(
        "--log",
        "--log-csv",
        dest="log",
        help="write step,epoch,loss,lr,test_loss,test_accuracy,train_loss,wall_time as"
        " CSV (under torchrun,"
        " which reads --log as an abbreviation of its own options, write --log-csv)",
    )
    default_device = "cuda" if torch.cuda.is_available() else "cpu"
    parser.add_argument("--device", default=default_device, help="cpu or cuda")
    parser.add_argument(
        "--sync-batchnorm", action="store_true", help="batch statistics over all ranks"
    )
    return parser.parse_args()


def evaluate(model, loss_function, inputs, targets, device):
    """The mean loss per sample and, for classes, the accuracy, in eval mode."""
    # nnspec reports accuracy for one class per sample, not per position.
    one_class = TARGETS[0] == "classes" and not TARGETS[2]
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(inputs), BATCH_SIZE):
            batch = inputs[start : start + BATCH_SIZE].to(device)
            target = targets[start : start + BATCH_SIZE].to(device)
            output = model(batch)
            value = loss_function(output, target).item()
            total += value if REDUCTION == "sum" else value * len(batch)
            if one_class:
                correct += (output.argmax(dim=1) == target).sum().item()
    model.train()
    accuracy = correct / len(inputs) if one_class else None
    return total / len(inputs), accuracy


def mean_normalizer(summed_loss, output, targets):
    """What a "mean" reduction divides the summed loss by: for a class-index loss the class
    weights of the targets that count (all 1 without `weight`; not those at ignore_index),
    else the output's element count."""
    if isinstance(summed_loss, (nn.CrossEntropyLoss, nn.NLLLoss)):
        counted = targets[targets != summed_loss.ignore_index]
        if summed_loss.weight is None:
            return counted.numel()
        return summed_loss.weight[counted].sum().item()
    return output.numel()


def share_of_batch_loss(summed_loss, output, targets, world):
    """Under torchrun: this rank's part of the global batch's loss, scaled so that DDP's average
    of the ranks' gradients is the whole batch's gradient, and the whole batch's loss. A mean is
    the ranks' summed losses over the whole batch's normalizer (`mean_normalizer`)."""
    summed = summed_loss(output, targets) if len(output) else output.sum() * 0.0
    share = mean_normalizer(summed_loss, output, targets) if REDUCTION == "mean" else 1
    normalizer = torch.tensor(float(share), device=output.device)
    if REDUCTION == "mean":
        dist.all_reduce(normalizer)
    value = summed.detach() / normalizer
    dist.all_reduce(value)
    return summed * (world / normalizer), value


def main():
    arguments = parse_arguments()
    device = torch.device(arguments.device)
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    rank, world = 0, 1
    if distributed:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
        if device.type == "cuda":
            device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
            torch.cuda.set_device(device)
    torch.manual_seed(SEED)
    model = NETWORK()
    if arguments.init:
        model.load_state_dict(load_file(arguments.init))
    if arguments.sync_batchnorm:
        model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
    model.to(device)
    network = model
    if distributed:
        device_ids = [device] if device.type == "cuda" else None
        network = nn.parallel.DistributedDataParallel(model, device_ids=device_ids)
    loss_function = make_loss().to(device)
    summed_loss = make_loss().to(device)
    summed_loss.reduction = "sum"
    optimizer = make_optimizer(network.parameters())
    train_inputs, train_targets = load_split(TRAIN)
    test = load_split(TEST) if TEST else None
    batches_per_epoch = len(global_batches(len(train_inputs), 0))
    total_steps = arguments.steps or STEPS or EPOCHS * batches_per_epoch
    epochs = math.ceil(total_steps / batches_per_epoch)
    scheduler = make_scheduler(optimizer, total_steps)
    log = open(arguments.log, "w") if arguments.log and rank == 0 else None
    if log:
        log.write(LOG_HEADER)
    step = 0
    network.train()
    for epoch in range(epochs):
        epoch_total, epoch_samples = 0.0, 0
        for batch in global_batches(len(train_inputs), epoch)[: total_steps - step]:
            share = batch[rank::world]
            inputs = train_inputs[share].to(device)
            targets = train_targets[share].to(device)
            learning_rate = optimizer.param_groups[0]["lr"]
            optimizer.zero_grad()
            output = network(inputs)
            if distributed:
                loss, value = share_of_batch_loss(summed_loss, output, targets, world)
            else:
                loss = loss_function(output, targets)
                value = loss.detach()
            loss.backward()
            if CLIP_GRAD_NORM:
                nn.utils.clip_grad_norm_(network.parameters(), *CLIP_GRAD_NORM)
            optimizer.step()
            if scheduler and SCHEDULER_STEPS_PER_BATCH:
                scheduler.step()
            step += 1
            # nnspec's epoch loss: the mean of the steps' losses, weighed by their batch sizes.
            epoch_total += value.item() * len(batch)
            epoch_samples += len(batch)
            if log:
                log.write(
                    f"{step},{epoch + 1},{np.float32(value.item())!s},{learning_rate},,,,\n"
                )
        if step % batches_per_epoch != 0 and step == total_steps:
            break
        train_loss = epoch_total / epoch_samples
        report = f"epoch {epoch + 1}/{epochs}: train loss {train_loss:.4f}"
        test_loss, accuracy = None, None
        if test:
            test_loss, accuracy = evaluate(model, loss_function, *test, device)
            report += f", test loss {test_loss:.4f}"
            if accuracy is not None:
                report += f", accuracy {100 * accuracy:.2f}%"
        if scheduler and not SCHEDULER_STEPS_PER_BATCH:
            # ReduceLROnPlateau judges the test loss, else the epoch's training loss.
            plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
            metric = test_loss if test else train_loss
            scheduler.step(metric) if plateau else scheduler.step()
        if log:
            test_columns = (
                f"{test_loss},{'' if accuracy is None else accuracy}" if test else ","
            )
            log.write(
                f"{step},{epoch + 1},,,{test_columns},{train_loss},{time.time()}\n"
            )
        if rank == 0:
            print(report, flush=True)
    if log:
        log.close()
    if arguments.save and rank == 0:
        # A copy per name: safetensors refuses tensors that share memory (a tied weight).
        state = {
            name: tensor.detach().cpu().clone()
            for name, tensor in model.state_dict().items()
        }
        metadata = {"format": "pt"}
        if TRAIN["source"] == "text":
            # The vocabulary travels with the weights, as `nnspec train --save` writes it.
            tokens = {"tokens": vocabulary(TRAIN), "unit": TRAIN["unit"]}
            metadata["nnspec_vocabulary"] = json.dumps(tokens, sort_keys=True)
        save_file(state, arguments.save, metadata=metadata)
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
"""#
}
