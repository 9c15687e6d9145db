#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_probe.py FILE [--expect CLASS] [--variant] [--ext-in-array CLASS]: is `btfkit probe --json`'s
class what its own recorded steps show the kernel did?

The class must follow from the steps (an EPERM on the EXT load, the verifier's
message, which callee the PROG_ARRAY took, the owner in fdinfo), a claimed
tail call must be proven by the callee's return value (3), and with --expect
the class must be the one known for this kernel; --variant demands a working
variant, proven the same way. Prints ok/FAIL lines and "N passed, N failed".
"""
import json
import sys

PASS = FAIL = 0
CALLEE = 3


def check(cond, msg, detail=None):
    global PASS, FAIL
    if cond:
        PASS += 1
        print("ok - " + msg)
    else:
        FAIL += 1
        print("FAIL - " + msg)
        if detail is not None:
            print("    " + json.dumps(detail)[:600])


def main():
    with open(sys.argv[1]) as f:
        p = json.load(f)
    args = sys.argv[2:]
    expect = args[args.index("--expect") + 1] if "--expect" in args else None
    ft = p["freplace_tailcall"]
    cls = ft["class"]
    steps = {}
    for s in p["steps"]:
        steps.setdefault(s["step"], s)  # the scenario's first, before a variant's
    err = lambda name: steps.get(name, {}).get("error")
    val = lambda name: steps.get(name, {}).get("value")
    kernel = p["kernel"]

    if expect:
        check(cls == expect, "%s: class %s (expected %s)" % (kernel, cls, expect), ft)
    if cls == "ext-not-loadable":
        check(err("ext load") in ("EPERM", "EOPNOTSUPP", "ENOTSUPP"),
              "%s: ext-not-loadable rests on the EXT load's %s" % (kernel, err("ext load")), p["steps"])
    elif cls == "packet-data-mismatch":
        check(err("ext load") == "EINVAL" and
              "Extension program changes packet data" in ft["verifier_log"],
              "%s: packet-data-mismatch rests on the verifier's own message" % kernel, ft["verifier_log"])
    elif cls == "tailcall-works":
        check(ft["retval"] == CALLEE and err("callee into prog array (expected_attach_type xdp)") is None,
              "%s: tailcall-works proven: the test run returned the callee's %d" % (kernel, CALLEE), ft)
    elif cls == "owner-attach-type":
        check(err("callee into prog array (expected_attach_type xdp)") == "EINVAL" and
              err("callee into prog array (expected_attach_type 0)") is None and
              val("owner_prog_type") == 6,
              "%s: owner-attach-type: owner xdp, the BPF_XDP callee refused, the same callee with "
              "expected_attach_type 0 taken" % kernel, p["steps"])
    elif cls == "owner-ext":
        check(val("owner_prog_type") == 28 and
              err("callee into prog array (expected_attach_type xdp)") == "EINVAL",
              "%s: owner-ext: the array's owner is EXT (28) and the XDP callee is refused" % kernel, p["steps"])
    else:
        check(False, "%s: class %s is not one this check knows how to confirm" % (kernel, cls), ft)
    if ft["variant"]:
        check(ft["variant_retval"] == CALLEE,
              "%s: the working variant (%s) proven: the test run returned %d" %
              (kernel, ft["variant"], ft["variant_retval"]), ft)
    elif "--variant" in args:
        check(False, "%s: a working variant was expected" % kernel, ft)
    # Wherever the extension was attached, a run with the array still empty
    # must have returned the extension's own value: it was in effect.
    for s in p["steps"]:
        if s["step"] == "test run (empty prog array)":
            check(s["error"] is None and s["value"] == 1,
                  "%s: with the array empty the extension ran in place of sub() (returned %s)" %
                  (kernel, s["value"]), s)
    eia = p["ext_in_prog_array"]["class"]
    for s in p["steps"]:
        if s["step"] == "extended program into a prog array" and eia != "unknown":
            # Both halves of d6083f040d5d come together: EXT refused <=> extended refused.
            check((eia == "allowed") == (s["error"] is None) and s["error"] in (None, "EBUSY"),
                  "%s: an extended program into a PROG_ARRAY: %s, consistent with EXT %s there" %
                  (kernel, s["error"] or "allowed", eia), s)
    if "--ext-in-array" in args:
        want = args[args.index("--ext-in-array") + 1]
        check(eia == want, "%s: EXT in a PROG_ARRAY: %s (expected %s)" % (kernel, eia, want))
    if eia != "unknown":
        check((eia == "allowed") == (err("ext into a prog array") is None),
              "%s: EXT in a PROG_ARRAY: %s, as the update returned %s" %
              (kernel, eia, err("ext into a prog array") or "0"), p["steps"])
    print("%d passed, %d failed" % (PASS, FAIL))
    sys.exit(1 if FAIL else 0)


if __name__ == "__main__":
    main()
