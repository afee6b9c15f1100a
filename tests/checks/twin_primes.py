"""twin_primes (a bug hunt of the coursework): the count of twin pairs (p, p + 2) with p + 2 < N
against a sieve of Eratosthenes run here."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)


def twin_pairs(n):
    prime = bytearray([1]) * n
    prime[0:2] = b"\0\0"
    for p in range(2, int(n ** 0.5) + 1):
        if prime[p]:
            prime[p * p::p] = bytearray(len(range(p * p, n, p)))
    return sum(1 for p in range(3, n - 2, 2) if prime[p] and prime[p + 2])


def check(args, command):
    result, report = run_json(command)
    expect(report, {"experiment": "twin_primes", "n": args.n, "workers": args.workers, "count": twin_pairs(args.n),
                    "valid": True}, result)
    print(f"ok: {report['count']} twin pairs below {args.n} on {args.workers} threads")
