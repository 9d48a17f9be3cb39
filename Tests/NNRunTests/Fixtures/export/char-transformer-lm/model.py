# Written by nnspec export: it replaces this file when run again (others only with --force).
"""The network "CharacterTransformer" of the nnspec spec "char-transformer-lm.yaml"."""

import torch
from torch import nn


class Embedding(nn.Embedding):
    """nn.Embedding of nnspec's inputs: the ids come as floats and are looked up as integers."""

    def forward(self, x):
        return super().forward(x.long())


class LearnedPositionalEmbedding(nn.Module):
    """Adds a learned vector per position: x [N, L, embedding_dim] + weight[:L]."""

    def __init__(self, max_len, embedding_dim):
        super().__init__()
        self.max_len, self.embedding_dim = max_len, embedding_dim
        self.weight = nn.Parameter(torch.empty(max_len, embedding_dim))
        nn.init.normal_(self.weight)

    def forward(self, x):
        return x + self.weight[: x.shape[1]]

    def extra_repr(self):
        return f"max_len={self.max_len}, embedding_dim={self.embedding_dim}"


class TransformerEncoderLayer(nn.TransformerEncoderLayer):
    """nn.TransformerEncoderLayer with nnspec's `causal`: each position attends to the earlier ones only."""

    def __init__(self, *args, causal=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.causal = causal

    def forward(self, x):
        length = x.shape[1 if self.self_attn.batch_first else 0]
        mask = nn.Transformer.generate_square_subsequent_mask(length, device=x.device)
        mask = mask if self.causal else None
        return super().forward(x, src_mask=mask, is_causal=self.causal)


class CharacterTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = Embedding(num_embeddings=27, embedding_dim=16)
        self.pos = LearnedPositionalEmbedding(max_len=12, embedding_dim=16)
        self.block = TransformerEncoderLayer(
            d_model=16,
            nhead=2,
            dim_feedforward=32,
            dropout=0.0,
            batch_first=True,
            norm_first=True,
            causal=True,
        )
        self.ln_f = nn.LayerNorm(normalized_shape=(16,))
        self.head = nn.Linear(in_features=16, out_features=27)

    def forward(self, x):
        x = self.tok(x)
        x = self.pos(x)
        x = self.block(x)
        x = self.ln_f(x)
        x = self.head(x)
        x = torch.transpose(x, dim0=1, dim1=2)
        return x
