#!/usr/bin/env python3
"""PyTorch's side of the parity specs that `nnspec test specs/parity` checks by itself: the torch.nn
tutorial's LeNet with MSELoss and SGD, a CNN with BatchNorm and AdamW, a residual MLP and a residual
CNN with SGD + Nesterov momentum, and an MLP under each scheduler (SequentialLR: a warm-up, then a
decay) and under each optimizer the others do not use, an MLP with clipped gradients, an LSTM, a
transformer classifier and a TransformerEncoder of two layers on token ids, and a causal transformer
and an LSTM predicting the next character of names (per-position CrossEntropyLoss).
(tools/make_parity.py writes the LeNet and MLP references of the trainer's parity test.)

Regenerate, from the repository root (needs only PyPI packages; `nnspec test` never runs Python):

    pip install torch safetensors && python3 tools/make_parity_goldens.py [data tutorial models schedulers warmup plateau optimizers clipping regression autoencoder onecycle sequential encoder text]

For each case NAME below it writes, into specs/parity/, beside NAME.yaml:
  NAME-init.safetensors  the initial state dict (PyTorch's names), which the spec loads with
                         `expect: train: {init: NAME-init.safetensors}`
  NAME-golden.json       {"losses": [...], "final": {"loss"}, "weights": [{name, shape, sum, norm}],
                         "recorded_by": "tools/make_parity_goldens.py"}: the loss of every step and each
                         final state tensor's sum and Euclidean norm (docs/testing.md, "Golden files")
and the data files under specs/parity/data/ (CSV without header: the class label, then the features
with 4 decimals, so that Swift and Python read the same float32 values from the same text). The
tutorial's case reads no file: its spec draws `source: random` data, which `nnspec_random_normals`
reproduces (nnspec's xoshiro256** seeded through splitmix64, Box–Muller in double precision).

The loop is the one nnspec's trainer runs: per step zero_grad, forward, loss, backward, step; per
epoch scheduler.step(); batches in file order (shuffle false), the last one kept.
"""
import json
from collections import OrderedDict
import math
from pathlib import Path

import torch
import torch.nn as nn

from parity_common import save_state, tutorial_lenet

HERE = Path(__file__).resolve().parent.parent / "specs" / "parity"
RECORDED_BY = "tools/make_parity_goldens.py"
torch.set_default_dtype(torch.float32)


def write_csv(path, labels, features):
    """One row per sample: label, then features with 4 decimals."""
    rows = [",".join([str(int(label))] + [f"{value:.4f}" for value in row]) for label, row in zip(labels, features)]
    path.write_text("\n".join(rows) + "\n")


def read_csv(path, sample_shape):
    """The samples as the spec reads them: labels [N] (int64), inputs [N, *sample_shape] (float32)."""
    rows = [line.split(",") for line in path.read_text().splitlines() if line]
    labels = torch.tensor([int(row[0]) for row in rows])
    inputs = torch.tensor([[float(value) for value in row[1:]] for row in rows], dtype=torch.float32)
    return labels, inputs.reshape(len(rows), *sample_shape)


def make_data():
    """Two class-structured data sets: 48 samples of 8 features, 48 one-channel 8×8 images; 3 classes."""
    generator = torch.Generator().manual_seed(20261127)
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    labels = torch.arange(48) % 3
    centres = torch.randn(3, 8, generator=generator)
    features = centres[labels] + 0.8 * torch.randn(48, 8, generator=generator)
    write_csv(data / "blobs-8.csv", labels.tolist(), features.tolist())
    patterns = torch.randn(3, 64, generator=generator)
    images = patterns[labels] + torch.randn(48, 64, generator=generator)
    write_csv(data / "images-8x8.csv", labels.tolist(), images.tolist())
    make_token_data(data)


def make_token_data(data):
    """tokens-10.csv: 48 sequences of 10 token ids in 0…11, 3 classes; class c puts 4 of its own
    tokens 4c…4c+3 at random places (its own generator, so the data sets above keep their values)."""
    generator = torch.Generator().manual_seed(20261205)
    labels = torch.arange(48) % 3
    tokens = torch.randint(0, 12, (48, 10), generator=generator)
    for row, label in enumerate(labels.tolist()):
        places = torch.randperm(10, generator=generator)[:4]
        tokens[row, places] = 4 * label + torch.randint(0, 4, (4,), generator=generator)
    write_csv(data / "tokens-10.csv", labels.tolist(), tokens.float().tolist())


class MLP(nn.Module):
    """fc1 → ReLU → fc2: the specs' `[N, 8]` MLP with 3 classes."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class Residual(nn.Module):
    """fc1 → ReLU → fc2, added to the input (`{type: Add, from: [fc2, input]}`), ReLU, out."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 8)
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        return self.out(torch.relu(self.fc2(torch.relu(self.fc1(x))) + x))


class ResidualCNN(nn.Module):
    """examples/resnet.yaml's first block, small: stem conv → BN → ReLU, then two 3×3 convs with BN
    added to the stem's output (`{type: Add, from: [b1_bn2, stem_relu]}`), ReLU, global average pool, fc."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, padding=1, bias=False)
        self.stem_bn = nn.BatchNorm2d(4)
        self.b1_conv1 = nn.Conv2d(4, 4, 3, padding=1, bias=False)
        self.b1_bn1 = nn.BatchNorm2d(4)
        self.b1_conv2 = nn.Conv2d(4, 4, 3, padding=1, bias=False)
        self.b1_bn2 = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        stem = torch.relu(self.stem_bn(self.stem(x)))
        block = self.b1_bn2(self.b1_conv2(torch.relu(self.b1_bn1(self.b1_conv1(stem)))))
        pooled = nn.functional.adaptive_avg_pool2d(torch.relu(block + stem), 1)
        return self.fc(torch.flatten(pooled, 1))


class BatchNormCNN(nn.Module):
    """conv1 → bn1 → ReLU → MaxPool2d(2) → Flatten → fc on one-channel 8×8 images. conv1 has no bias,
    as usual before BatchNorm: a bias there gets only rounding noise as gradient, which Adam's
    normalisation turns into full-size steps, so its final value would be noise in both frameworks."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
        return self.fc(torch.flatten(x, 1))


class LSTMClassifier(nn.Module):
    """emb → a two-layer bidirectional LSTM → fc on the final hidden states of the last layer, both
    directions (the spec's `output: hidden`). The ids arrive as floats, as nnspec reads them."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(12, 8, padding_idx=0)
        self.lstm = nn.LSTM(8, 16, num_layers=2, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        _, (h_n, _) = self.lstm(self.emb(x.long()))
        return self.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))


class TransformerClassifier(nn.Module):
    """emb → pos (a learned positional embedding: nn.Embedding rows 0…L−1 added) → a causal pre-norm
    encoder layer with GELU (dropout 0) → flatten → fc. Trained with SGD: the key part of in_proj_bias
    shifts every score of a query alike, which softmax ignores, so its gradient is rounding noise that
    Adam's normalisation would turn into full-size steps (different noise in each framework)."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(12, 16)
        self.pos = nn.Embedding(10, 16)
        self.encoder = nn.TransformerEncoderLayer(16, 2, dim_feedforward=32, dropout=0.0, activation="gelu", batch_first=True,
                                                  norm_first=True)
        self.fc = nn.Linear(160, 3)

    def forward(self, x):
        x = self.emb(x.long())
        x = x + self.pos(torch.arange(x.shape[1]))
        mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1])
        return self.fc(torch.flatten(self.encoder(x, src_mask=mask, is_causal=True), 1))


class TransformerEncoderStack(nn.Module):
    """emb → pos → nn.TransformerEncoder: 2 deep copies of a post-norm encoder layer (dropout 0), then a
    final LayerNorm → flatten → fc. Trained with SGD, as TransformerClassifier."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(12, 16)
        self.pos = nn.Embedding(10, 16)
        layer = nn.TransformerEncoderLayer(16, 2, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(16), enable_nested_tensor=False)
        self.fc = nn.Linear(160, 3)

    def forward(self, x):
        x = self.emb(x.long())
        x = x + self.pos(torch.arange(x.shape[1]))
        return self.fc(torch.flatten(self.encoder(x), 1))


def nnspec_random_normals(seed, count):
    """The first `count` values of nnspec's RandomGenerator(seed).normal() (Sources/NNTensor/RandomGenerator.swift)."""
    mask = (1 << 64) - 1
    x = seed

    def splitmix():
        nonlocal x
        x = (x + 0x9E3779B97F4A7C15) & mask
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    s = [splitmix(), splitmix(), splitmix(), splitmix()]

    def rotl(value, bits):
        return ((value << bits) | (value >> (64 - bits))) & mask

    def next_word():
        result = (rotl((s[1] * 5) & mask, 7) * 9) & mask
        t = (s[1] << 17) & mask
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    values = []
    for _ in range(count):
        u1 = max((next_word() >> 11) * 2.0 ** -53, 5e-324)
        u2 = (next_word() >> 11) * 2.0 ** -53
        values.append(math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2))
    return torch.tensor(values, dtype=torch.float64).float()


def record_tutorial(steps):
    """The tutorial: one random 1×1×32×32 input and a random target of 10 values (nnspec's random data,
    seed 0: the input's 1,024 normals, then the target's 10), MSELoss, SGD(lr=0.01), `steps` steps."""
    torch.manual_seed(6)
    model = tutorial_lenet()
    name = "tutorial-lenet-mse"
    save_state(model, HERE / f"{name}-init.safetensors")
    values = nnspec_random_normals(0, 1024 + 10)
    inputs, target = values[:1024].reshape(1, 1, 32, 32), values[1024:].reshape(1, 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.MSELoss()(model(inputs), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    write_golden(name, model, losses)


def checksum(name, tensor):
    values = tensor.detach().to(torch.float64)
    return {"name": name, "shape": list(tensor.shape), "sum": values.sum().item(), "norm": values.norm().item()}


def record(name, model, data_file, sample_shape, optimizer, scheduler, epochs, batch_size=16, clip=None,
           data=None, loss_function=None):
    """Saves the initial state, trains as nnspec does (`clip`: clip_grad_norm_'s keyword arguments,
    applied between backward and step), writes the golden. `data` (targets, inputs) and `loss_function`
    replace the class labels of `data_file` and CrossEntropyLoss."""
    save_state(model, HERE / f"{name}-init.safetensors")
    labels, inputs = data if data is not None else read_csv(HERE / "data" / data_file, sample_shape)
    loss_function = loss_function or nn.CrossEntropyLoss()
    losses = []
    model.train()
    for _ in range(epochs):
        epoch_sum = 0.0
        for start in range(0, len(labels), batch_size):
            optimizer.zero_grad()
            loss = loss_function(model(inputs[start:start + batch_size]), labels[start:start + batch_size])
            loss.backward()
            if clip is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), **clip)
            optimizer.step()
            if isinstance(scheduler, torch.optim.lr_scheduler.OneCycleLR):
                scheduler.step()  # per batch
            losses.append(loss.item())
            epoch_sum += loss.item() * len(labels[start:start + batch_size])
        if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
            scheduler.step(epoch_sum / len(labels))  # no test split: the epoch's mean training loss, as nnspec
        elif scheduler is not None and not isinstance(scheduler, torch.optim.lr_scheduler.OneCycleLR):
            scheduler.step()
    write_golden(name, model, losses)


def write_golden(name, model, losses):
    """NAME-golden.json: the step losses, the final loss, each final state tensor's checksum."""
    golden = {
        "final": {"loss": losses[-1]},
        "losses": losses,
        "nnspec_golden": 1,
        "recorded_by": RECORDED_BY,
        "weights": [checksum(key, value) for key, value in model.state_dict().items()],
    }
    (HERE / f"{name}-golden.json").write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n")


def record_mlp(name, seed, make_optimizer, make_scheduler=None, clip=None):
    """The `[N, 8]` MLP on blobs-8.csv for 5 epochs, from torch.manual_seed(seed)'s initial weights."""
    torch.manual_seed(seed)
    model = MLP()
    optimizer = make_optimizer(model.parameters())
    record(name, model, "blobs-8.csv", (8,), optimizer, make_scheduler and make_scheduler(optimizer), epochs=5, clip=clip)


def record_models():
    torch.manual_seed(0)
    model = BatchNormCNN()
    record("cnn-batchnorm-adamw", model, "images-8x8.csv", (1, 8, 8),
           torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.05), None, epochs=4)

    torch.manual_seed(1)
    model = Residual()
    record("residual-nesterov", model, "blobs-8.csv", (8,),
           torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True), None, epochs=4)

    torch.manual_seed(5)
    model = ResidualCNN()
    record("residual-cnn-nesterov", model, "images-8x8.csv", (1, 8, 8),
           torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True), None, epochs=4)

    torch.manual_seed(7)
    model = LSTMClassifier()
    record("lstm-classifier", model, "tokens-10.csv", (10,), torch.optim.Adam(model.parameters(), lr=0.01), None, epochs=5,
           batch_size=12)

    torch.manual_seed(8)
    model = TransformerClassifier()
    record("transformer-classifier", model, "tokens-10.csv", (10,), torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9), None,
           epochs=5, batch_size=12)


def record_encoder_stack():
    """nn.TransformerEncoder (num_layers 2, a final norm) on the token data, 20 steps."""
    torch.manual_seed(9)
    model = TransformerEncoderStack()
    record("transformer-encoder-stack", model, "tokens-10.csv", (10,), torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9),
           None, epochs=5, batch_size=12)


def record_schedulers():
    schedulers = {
        "scheduler-steplr": lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5),
        "scheduler-exponentiallr": lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.7),
        "scheduler-cosineannealinglr": lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.01),
    }
    for seed, (name, make_scheduler) in enumerate(schedulers.items(), start=2):
        record_mlp(name, seed, lambda parameters: torch.optim.SGD(parameters, lr=0.2, momentum=0.9), make_scheduler)


def record_warmup():
    """The MLP with SGD and momentum under LinearLR's warm-up from a fifth of the rate over 3 epochs."""
    record_mlp("scheduler-linearlr", 30, lambda p: torch.optim.SGD(p, lr=0.2, momentum=0.9),
               lambda opt: torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.2, total_iters=3))


def record_sequential():
    """The MLP with SGD and momentum for 7 epochs (21 steps) under SequentialLR: LinearLR warms up from a
    quarter of the rate over 3 epochs, then ExponentialLR decays it from the full rate (PyTorch's restart
    at the milestone)."""
    torch.manual_seed(33)
    model = MLP()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.25, total_iters=3)
    decay = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=[warmup, decay], milestones=[3])
    record("scheduler-sequentiallr", model, "blobs-8.csv", (8,), optimizer, scheduler, epochs=7)


def record_one_cycle():
    """The MLP with Adam under OneCycleLR over the run's 15 steps, stepped after every batch, cycling beta1."""
    torch.manual_seed(32)
    model = MLP()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.05, total_steps=15)
    record("scheduler-onecyclelr", model, "blobs-8.csv", (8,), optimizer, scheduler, epochs=5)


def record_plateau():
    """The MLP with SGD and momentum under ReduceLROnPlateau, which sees each epoch's mean training loss."""
    record_mlp("scheduler-reducelronplateau", 31, lambda p: torch.optim.SGD(p, lr=0.2, momentum=0.9),
               lambda opt: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0, threshold=0.4))


def record_regression():
    """An MLP regressing two float targets (CSV columns 8 and 9, `target_columns: [8, 9]`) from 8
    features with MSELoss and Adam; the data file is written here: 48 rows, targets a noisy
    non-linear function of the features, 4 decimals."""
    generator = torch.Generator().manual_seed(20261205)
    features = torch.randn(48, 8, generator=generator)
    weights = torch.randn(8, 2, generator=generator)
    targets = torch.tanh(features @ weights) + 0.1 * torch.randn(48, 2, generator=generator)
    rows = [",".join(f"{value:.4f}" for value in row) for row in torch.cat([features, targets], 1).tolist()]
    path = HERE / "data" / "regression-8.csv"
    path.write_text("\n".join(rows) + "\n")
    values = torch.tensor([[float(v) for v in line.split(",")] for line in path.read_text().splitlines()])
    torch.manual_seed(40)
    model = nn.Sequential(OrderedDict([("fc1", nn.Linear(8, 16)), ("1", nn.Tanh()), ("fc2", nn.Linear(16, 2))]))
    record("regression-csv-targets", model, None, None, torch.optim.Adam(model.parameters(), lr=0.02), None, epochs=5,
           data=(values[:, 8:], values[:, :8]), loss_function=nn.MSELoss())


def record_autoencoder():
    """An MLP autoencoder 64 → 16 → 64 on images-8x8.csv's images (`target: input`; the label column is
    not used), MSELoss and Adam."""
    _, inputs = read_csv(HERE / "data" / "images-8x8.csv", (64,))
    torch.manual_seed(41)
    model = nn.Sequential(OrderedDict([("encoder", nn.Linear(64, 16)), ("1", nn.ReLU()), ("decoder", nn.Linear(16, 64))]))
    record("autoencoder-target-input", model, None, None, torch.optim.Adam(model.parameters(), lr=0.01), None, epochs=5,
           data=(inputs, inputs), loss_function=nn.MSELoss())


def record_optimizers():
    """The MLP under each optimizer that the schedulers' cases do not train with."""
    optimizers = {
        "optimizer-adadelta": lambda p: torch.optim.Adadelta(p, lr=1.0, weight_decay=0.01),
        "optimizer-adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
        "optimizer-nadam": lambda p: torch.optim.NAdam(p, lr=0.02, weight_decay=0.01, decoupled_weight_decay=True),
        "optimizer-radam": lambda p: torch.optim.RAdam(p, lr=0.02, weight_decay=0.01),
    }
    for seed, (name, make_optimizer) in enumerate(optimizers.items(), start=10):
        record_mlp(name, seed, make_optimizer)


def record_clipping():
    """The MLP with SGD and momentum, its gradients clipped to a total norm of 0.5 (most steps clip)."""
    record_mlp("clip-grad-norm", 20, lambda p: torch.optim.SGD(p, lr=0.2, momentum=0.9), clip={"max_norm": 0.5})
    record_mlp("clip-grad-norm-l1", 21, lambda p: torch.optim.Adam(p, lr=0.02), clip={"max_norm": 1.0, "norm_type": 1.0})


CONTEXT = 12


def make_text_data():
    """names-160.txt: the first names of examples/data/names/train.txt whose running text (newlines
    included) holds 160 windows of CONTEXT characters and their next characters, no more."""
    text = ""
    for name in (Path(__file__).resolve().parent.parent / "examples/data/names/train.txt").read_text().splitlines():
        if (len(text) + len(name) + 1 - 1) // CONTEXT > 160:
            break
        text += name + "\n"
    assert (len(text) - 1) // CONTEXT == 160
    (HERE / "data" / "names-160.txt").write_text(text)


def text_windows():
    """The text source's samples (unit: characters) of names-160.txt, as the spec reads them: the
    sorted characters as the vocabulary, windows data[i*T : i*T+T] and their targets data[i*T+1 : i*T+T+1]."""
    text = (HERE / "data" / "names-160.txt").read_text()
    vocabulary = sorted(set(text))
    data = torch.tensor([vocabulary.index(character) for character in text])
    count = (len(data) - 1) // CONTEXT
    inputs = data[:count * CONTEXT].reshape(count, CONTEXT).float()
    targets = data[1:count * CONTEXT + 1].reshape(count, CONTEXT)
    return len(vocabulary), targets, inputs


class CharacterTransformer(nn.Module):
    """A character-level GPT block: tok → pos (learned) → a causal pre-norm encoder layer (dropout 0) →
    ln_f → head, its [N, T, V] logits transposed to CrossEntropyLoss's [N, V, T]."""

    def __init__(self, vocabulary, tied=False):
        super().__init__()
        self.tok = nn.Embedding(vocabulary, 16)
        self.pos = nn.Embedding(CONTEXT, 16)
        self.block = nn.TransformerEncoderLayer(16, 2, dim_feedforward=32, dropout=0.0, batch_first=True, norm_first=True)
        self.ln_f = nn.LayerNorm(16)
        self.head = nn.Linear(16, vocabulary, bias=not tied)
        if tied:
            self.head.weight = self.tok.weight  # one parameter; state_dict() holds tok.weight and head.weight

    def forward(self, x):
        x = self.tok(x.long())
        x = x + self.pos(torch.arange(x.shape[1]))
        mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1])
        return self.head(self.ln_f(self.block(x, src_mask=mask, is_causal=True))).transpose(1, 2)


class CharacterLSTM(nn.Module):
    """tok → an LSTM's output sequence → head, transposed to [N, V, T]."""

    def __init__(self, vocabulary):
        super().__init__()
        self.tok = nn.Embedding(vocabulary, 8)
        self.lstm = nn.LSTM(8, 24, batch_first=True)
        self.head = nn.Linear(24, vocabulary)

    def forward(self, x):
        output, _ = self.lstm(self.tok(x.long()))
        return self.head(output).transpose(1, 2)


def record_text():
    """Next-character models on names-160.txt, 2 epochs of 10 batches: the per-position CrossEntropyLoss
    of a causal transformer (SGD with momentum, as the transformer classifier), untied and with its head
    tied to the token embedding, and of an LSTM (Adam)."""
    make_text_data()
    vocabulary, targets, inputs = text_windows()
    torch.manual_seed(30)
    model = CharacterTransformer(vocabulary)
    record("char-transformer-lm", model, None, None, torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), None, epochs=2,
           data=(targets, inputs))
    torch.manual_seed(32)
    model = CharacterTransformer(vocabulary, tied=True)
    record("char-transformer-lm-tied", model, None, None, torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), None, epochs=2,
           data=(targets, inputs))
    torch.manual_seed(31)
    model = CharacterLSTM(vocabulary)
    record("names-lstm-lm", model, None, None, torch.optim.Adam(model.parameters(), lr=0.01), None, epochs=2,
           data=(targets, inputs))


# Groups of cases by the name given on the command line.
GROUPS = {"data": make_data, "tutorial": lambda: record_tutorial(steps=20), "models": record_models,
          "schedulers": record_schedulers, "optimizers": record_optimizers, "clipping": record_clipping,
          "warmup": record_warmup, "plateau": record_plateau, "regression": record_regression,
          "autoencoder": record_autoencoder,
          "onecycle": record_one_cycle, "sequential": record_sequential, "encoder": record_encoder_stack, "text": record_text}


if __name__ == "__main__":
    # Arguments name the groups to write (`python3 tools/make_parity_goldens.py optimizers`); none: all.
    import sys
    for group in sys.argv[1:] or GROUPS:
        GROUPS[group]()
