"""Customer segmentation benchmark 客户分类: one full run (features set-based, k-means with k by
silhouette on a sample, the chosen k on every customer, the decision tree, every membership
written) at 1,000,000 customers. Prints JSON lines with the time of each stage; never asserts.

Run (SQLite):
    KEFU_VAR_DIR=/tmp/kefu-bench .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/kefu-bench .venv/bin/python manage.py generate --customers 1000000 \
        --notifications 1000000 --complaints 200000
    KEFU_VAR_DIR=/tmp/kefu-bench .venv/bin/python -m tests.bench.bench_segments
PostgreSQL: the same with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>.
"""

from __future__ import annotations

import argparse
import json
import time

from tests.bench.common import database_label, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--k-max", type=int, default=8)
    parser.add_argument("--sample", type=int, default=20000)
    args = parser.parse_args()
    setup_django()
    import numpy as np

    from kefu.customers import segmentation as seg
    from kefu.customers import services
    from kefu.customers.queries import segment_features

    db = database_label()

    def emit(case: str, started: float, **extra) -> None:
        row = {"case": case, "db": db, "seconds": round(time.perf_counter() - started, 2), **extra}
        print(json.dumps(row, ensure_ascii=False, default=str), flush=True)

    # The stages alone (what each costs), then the whole run as the task does it.
    t = time.perf_counter()
    features = segment_features()
    emit("features (one read + grouped queries)", t, customers=len(features.ids))
    t = time.perf_counter()
    x, _scaling = seg.transform(features.raw)
    result = seg.cluster(x, k_max=args.k_max, sample=args.sample)
    emit("k-means, k by silhouette", t, k=result.k, silhouettes=result.silhouettes)
    t = time.perf_counter()
    labelled = features.grades != ""
    tree = seg.classify(features.raw[labelled], features.grades[labelled], features.raw[~labelled])
    emit("decision tree", t, accuracy=tree.accuracy, held_out=tree.test_size, proposed=int((~labelled).sum()))
    del x, features
    t = time.perf_counter()
    run = services.run_segmentation(services.start_segmentation(actor=None, params={"k_max": args.k_max}))
    emit(
        "whole run (task)",
        t,
        customers=run.customer_count,
        k=run.k,
        silhouette=run.silhouette,
        accuracy=run.classifier_accuracy,
        sizes=[s.size for s in run.segments.order_by("number")],
        words=[" ".join(s.traits) for s in run.segments.order_by("number")],
    )
    np.set_printoptions(suppress=True)


if __name__ == "__main__":
    main()
