"""The child process that validates the signatures of an untrusted PDF (run by signing.validate as
`python -m governance.verify_child`). It first puts hard limits on itself – address space, CPU seconds, a
lower priority – then reads a JSON header line (trust roots, limits) and the PDF from stdin and writes the
checks as JSON to stdout. It needs no Django settings and touches no database: when a crafted file makes
pyHanko's tokenizer eat memory or time, only this process dies."""

from __future__ import annotations

import base64
import json
import os
import resource
import sys


def _limit(header: dict) -> None:
    memory = int(header["memory_bytes"])
    cpu = int(header["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(int(header.get("nice", 10)))


def main() -> int:
    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline())
    _limit(header)  # before the PDF is read or pyHanko imported
    pdf = stdin.read()
    out = sys.stdout
    try:
        from asn1crypto import x509

        from governance.signing import ValidationLimitExceeded, validate_in_process

        roots = [x509.Certificate.load(base64.b64decode(root)) for root in header["roots"]]
        checks = validate_in_process(pdf, roots=roots, max_signatures=int(header["max_signatures"]))
    except MemoryError:
        out.write(json.dumps({"error": "memory"}))
        return 3
    except ValidationLimitExceeded as exc:
        out.write(json.dumps({"error": str(exc)}))
        return 4
    except ValueError:
        out.write(json.dumps({"error": "unreadable"}))
        return 2
    out.write(json.dumps({"checks": [check.to_json() for check in checks]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
