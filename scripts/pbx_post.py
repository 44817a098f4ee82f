#!/usr/bin/env python3
"""Reference sender for Kefu's CTI webhook: what a PBX dial plan (FreeSWITCH, Asterisk) or a cloud
call centre runs on ring, answer and hang-up. Standard library only, so it runs on the PBX host.

    KEFU_URL=http://127.0.0.1:8000 KEFU_CTI_KEY=demo-pbx KEFU_CTI_SECRET=demo-cti-secret \\
        python3 scripts/pbx_post.py ring  CALL-ID +8602158881234 assistant
    python3 scripts/pbx_post.py answer CALL-ID +8602158881234 assistant
    python3 scripts/pbx_post.py hangup CALL-ID +8602158881234 assistant

FreeSWITCH: call it from the dial plan with ``<action application="system" data="python3
/opt/kefu/pbx_post.py ring ${uuid} ${caller_id_number} ${agent}"/>`` (and from api_hangup_hook
for hang-up). Asterisk: ``same => n,System(python3 /opt/kefu/pbx_post.py ring ${UNIQUEID}
${CALLERID(num)} ${AGENT})``.

Each event gets a unique id (call id + kind); resending it is harmless (Kefu ignores replays), so
a failed post may simply be retried. The body is signed: X-Kefu-Signature = "sha256=" +
hex(HMAC-SHA256(secret, timestamp + "." + body)), with X-Kefu-Timestamp in Unix seconds (Kefu
refuses a timestamp more than five minutes off) and X-Kefu-Key naming the source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.request


def post(kind: str, call_id: str, number: str, agent: str = "", direction: str = "in") -> dict:
    url = os.environ.get("KEFU_URL", "http://127.0.0.1:8000").rstrip("/") + "/api/v1/contacts/cti/events"
    key = os.environ.get("KEFU_CTI_KEY", "demo-pbx")
    secret = os.environ.get("KEFU_CTI_SECRET", "demo-cti-secret")
    body = json.dumps(
        {
            "event_id": f"{call_id}:{kind}",
            "call_id": call_id,
            "kind": kind,
            "at": dt.datetime.now(dt.UTC).isoformat(),
            "number": number,
            "direction": direction,
            "agent": agent,
        }
    ).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Kefu-Key": key,
            "X-Kefu-Timestamp": stamp,
            "X-Kefu-Signature": f"sha256={signature}",
        },
    )
    for attempt in range(3):  # idempotent: retrying is safe
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            if attempt == 2:
                raise
            time.sleep(1 + attempt)
    return {}


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    print(json.dumps(post(*sys.argv[1:6]), ensure_ascii=False))
