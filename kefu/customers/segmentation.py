"""Customer segmentation 客户分类 (seed 004 names both methods): clustering (k-means, k chosen by
silhouette) and classification (a decision tree trained on the graded customers).

Pure computation over numpy arrays: the features are read set-based by `queries.segment_features`
(one grouped query per source app) and the results written by `services.run_segmentation`.
A segment is described in words from its centre: each feature whose centre lies half a standard
deviation or more from the mean of all customers gives a trait ("value+", "recency-"...); the
traits are stored as codes and rendered in the reader's language by `describe`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:  # numpy only where segments are computed: labels and words load without it
    import numpy as np

# Column order of the feature matrix. Recency is days since the latest notification (the window
# length plus one when there is none): a low recency is a recent contact.
FEATURES = ("value", "frequency", "recency", "complaints", "satisfaction", "cost")
# Features read on a log scale before standardising: amounts and counts are heavily skewed.
LOG_FEATURES = ("value", "frequency", "complaints", "cost")
FEATURE_LABELS = {
    "value": pgettext_lazy("customers", "Value"),
    "frequency": _("Notifications (12 months)"),
    "recency": _("Days since last notification"),
    "complaints": _("Complaints (12 months)"),
    "satisfaction": _("Satisfaction"),
    "cost": _("Service cost"),
}
# Words for a trait: a feature well above (+) or below (-) the mean of all customers.
TRAIT_WORDS = {
    "value+": _("high value"),
    "value-": _("low value"),
    "frequency+": _("frequent"),
    "frequency-": _("infrequent"),
    "recency-": _("recent contact"),
    "recency+": _("long silent"),
    "complaints+": _("recent complaints"),
    "complaints-": _("no complaints"),
    "satisfaction+": _("satisfied"),
    "satisfaction-": _("dissatisfied"),
    "cost+": _("high service cost"),
    "cost-": _("low service cost"),
}
# Order in which traits are named: what a manager reads first.
TRAIT_ORDER = ("value", "frequency", "recency", "complaints", "satisfaction", "cost")
THRESHOLD = 0.5  # standard deviations from the mean that make a trait
MAX_TRAITS = 3


def describe(traits: list[str]) -> str:
    """A segment in words, e.g. 高价值·低频·近期有投诉; "ordinary" when nothing stands out."""
    words = [str(TRAIT_WORDS[t]) for t in traits if t in TRAIT_WORDS]
    return "·".join(words) if words else str(_("average customers"))


def traits_from_centre(z_centre: np.ndarray, *, threshold: float = THRESHOLD) -> list[str]:
    """The traits of a centre given in standard deviations from the mean (feature order FEATURES):
    the strongest MAX_TRAITS, named in TRAIT_ORDER. "complaints-" only names a segment with none."""
    candidates = []
    for i, name in enumerate(FEATURES):
        z = float(z_centre[i])
        if abs(z) < threshold:
            continue
        code = f"{name}{'+' if z > 0 else '-'}"
        if code == "complaints-":
            continue
        candidates.append((abs(z), name, code))
    strongest = sorted(candidates, reverse=True)[:MAX_TRAITS]
    chosen = {name: code for _z, name, code in strongest}
    return [chosen[name] for name in TRAIT_ORDER if name in chosen]


@dataclass
class Scaling:
    """How raw features become the standardised matrix the clustering sees (and back)."""

    mean: list[float]
    std: list[float]

    def as_dict(self) -> dict:
        return {"features": list(FEATURES), "log": list(LOG_FEATURES), "mean": self.mean, "std": self.std}


def transform(raw: np.ndarray) -> tuple[np.ndarray, Scaling]:
    """log1p on the skewed columns, then standardise every column (float32, in place where possible)."""
    import numpy as np

    x = raw.astype(np.float32, copy=True)
    for i, name in enumerate(FEATURES):
        if name in LOG_FEATURES:
            np.log1p(np.maximum(x[:, i], 0), out=x[:, i])
    mean = x.mean(axis=0, dtype=np.float64)
    std = x.std(axis=0, dtype=np.float64)
    std[std == 0] = 1.0
    x -= mean.astype(np.float32)
    x /= std.astype(np.float32)
    return x, Scaling([float(v) for v in mean], [float(v) for v in std])


def to_raw(z: np.ndarray, scaling: Scaling) -> np.ndarray:
    """A standardised point back in the features' own units (counts, CNY, days)."""
    import numpy as np

    values = z * np.array(scaling.std) + np.array(scaling.mean)
    for i, name in enumerate(FEATURES):
        if name in LOG_FEATURES:
            values[i] = np.expm1(values[i])
    return values


@dataclass
class Clustering:
    k: int
    labels: np.ndarray
    centres: np.ndarray  # standardised
    silhouettes: dict[int, float] = field(default_factory=dict)

    @property
    def silhouette(self) -> float:
        return self.silhouettes.get(self.k, 0.0)


def _model(k: int, n: int, seed: int):
    from sklearn.cluster import KMeans, MiniBatchKMeans

    if n > 20000:
        return MiniBatchKMeans(
            n_clusters=k, random_state=seed, batch_size=4096, n_init=3, max_no_improvement=20
        )
    return KMeans(n_clusters=k, random_state=seed, n_init=4)


def cluster(
    x: np.ndarray, *, k_min: int = 2, k_max: int = 8, sample: int = 20000, seed: int = 0
) -> Clustering:
    """k-means for every k in [k_min, k_max] on a random sample of at most `sample` rows, k chosen
    by the best silhouette on that sample; then the chosen k is fitted on all rows."""
    import numpy as np
    from sklearn.metrics import silhouette_score

    n = len(x)
    if n < 3:
        raise ValueError("at least three customers are needed to form segments")
    rng = np.random.default_rng(seed)
    part = x if n <= sample else x[rng.choice(n, size=sample, replace=False)]
    distinct = len(np.unique(part, axis=0))
    k_max = max(k_min, min(k_max, distinct - 1, len(part) - 1))
    silhouettes: dict[int, float] = {}
    models = {}
    for k in range(k_min, k_max + 1):
        model = _model(k, len(part), seed).fit(part)
        labels = model.predict(part)
        # The silhouette is measured on at most 5,000 of the sample's rows; a k whose clusters
        # those rows do not tell apart (one label) has no silhouette and cannot be chosen.
        rows = rng.choice(len(part), size=min(len(part), 5000), replace=False)
        if len(set(labels[rows].tolist())) < 2:
            continue
        silhouettes[k] = float(silhouette_score(part[rows], labels[rows]))
        models[k] = model
    best = max(silhouettes, key=lambda k: (silhouettes[k], -k)) if silhouettes else k_min
    if n <= len(part):
        model = models.get(best) or _model(best, n, seed).fit(x)
        labels = model.predict(x)
        return Clustering(best, np.asarray(labels, dtype=np.int32), model.cluster_centers_, silhouettes)
    # All rows: one pass of mini-batch k-means started from the sample's centres (no re-inits).
    from sklearn.cluster import MiniBatchKMeans

    start = models[best].cluster_centers_ if best in models else "k-means++"
    full = MiniBatchKMeans(
        n_clusters=best, init=start, n_init=1, random_state=seed, batch_size=8192, max_no_improvement=10
    ).fit(x)
    labels = full.predict(x)
    return Clustering(best, np.asarray(labels, dtype=np.int32), full.cluster_centers_, silhouettes)


@dataclass
class Classifier:
    accuracy: float | None
    test_size: int
    rules: str
    proposals: np.ndarray  # predicted label per row of the unlabelled matrix


def classify(
    x_labelled: np.ndarray, labels: np.ndarray, x_new: np.ndarray, *, seed: int = 0, max_rows: int = 200000
) -> Classifier:
    """A decision tree (seed 004) trained on 75 % of the labelled customers, its accuracy measured
    on the other 25 %, then refitted on all of them to propose a class for the unlabelled ones."""
    import numpy as np
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier, export_text

    if len(x_labelled) > max_rows:
        pick = np.random.default_rng(seed).choice(len(x_labelled), size=max_rows, replace=False)
        x_labelled, labels = x_labelled[pick], labels[pick]
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) < 2 or len(labels) < 8:
        return Classifier(None, 0, "", np.array([], dtype=labels.dtype))
    stratify = labels if counts.min() >= 2 else None
    x_train, x_test, y_train, y_test = train_test_split(
        x_labelled, labels, test_size=0.25, random_state=seed, stratify=stratify
    )
    tree = DecisionTreeClassifier(max_depth=5, min_samples_leaf=5, random_state=seed)
    tree.fit(x_train, y_train)
    accuracy = float((tree.predict(x_test) == y_test).mean())
    tree.fit(x_labelled, labels)
    rules = export_text(tree, feature_names=[str(FEATURE_LABELS[f]) for f in FEATURES], decimals=2)
    proposals = tree.predict(x_new) if len(x_new) else np.array([], dtype=labels.dtype)
    return Classifier(accuracy, len(y_test), rules, proposals)
