#!/usr/bin/env bash
# doc_examples.sh: every Bad and Good example of docs/rules.md's rule
# sections, run: a Bad example prints exactly the findings the page shows
# under it, its Good one draws no finding of the section's rule.
#   doc_examples.sh MIGC SOURCE_DIR WORKDIR
# MIGC_UPDATE_DOCS=1 rewrites each Bad example's output block with what migc
# prints (review the diff: is migc right?).
#
# How the page is read (docs/rules.md, "The rules one by one"): in a
# "### `rule`" section, "**Bad**" starts an example; each "`migrations/F`:"
# line followed by a code block is a file; the plain code block after them is
# what `migc check migrations` prints. The migrations folder also holds
# `001_users.sql` unless the example shows a file of version 001, and
# `002_orders.sql` when the prose before the first file names it; a file named
# in the prose as "`F` (`SQL`)" is defined there and may be named again by a
# later example. "**Good**" files replace the Bad example's files of the same
# version and join the rest.
set -u
migc=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
exec python3 - "$migc" "$src/docs/rules.md" "$work" <<'PY'
import os, re, shutil, subprocess, sys

migc, doc_path, work = sys.argv[1:4]
update = os.environ.get("MIGC_UPDATE_DOCS") == "1"
lines = open(doc_path, encoding="utf-8").read().split("\n")

# Examples that are not a folder of migrations checked once; the reason why.
SKIP = {
    "io": "the command names a missing directory",
    "encoding": "a Latin-1 byte the page cannot hold",
    "lock": "a lock file edited by hand",
    "immutable": "a released migration edited: needs `migc lock` between",
    "out-of-order": "released migrations: needs `migc lock` between",
    "archive": "archived originals of a squash: needs `migc lock --squash`",
    "pack-schema": "pack files beside the migrations",
    # Sections another branch rewrites at the same time: checked again
    # (this line removed, MIGC_UPDATE_DOCS=1 run) once both are merged.
    "unknown-column": "rewritten on another branch",
    "dependent-objects": "rewritten on another branch",
}
# Good examples that are not one check of a folder either.
SKIP_GOOD = {
    "churn": "a squash baseline: needs `migc lock --squash`",
}


def block(i):
    """The code block opening at lines[i]: (language, text, next index)."""
    lang = lines[i][3:].strip()
    j = i + 1
    while not lines[j].startswith("```"):
        j += 1
    return lang, "\n".join(lines[i + 1:j]) + "\n", j + 1


def version(name):
    m = re.match(r"(\d+)", name)
    return m.group(1) if m else name


def description(name):
    return re.sub(r"^\d+[_.]", "", name)


def label(prose):
    """"**Bad** (UNIQUE): ..." pairs with "**Good** (UNIQUE):"."""
    m = re.match(r"\*\*(?:Bad|Good)\*\* \(([^)]*)\)", prose)
    return m.group(1) if m else None


# The base files: the two the page shows before the rules, and those defined
# in the prose as "`F` (`SQL`)".
named = {}
first = [i for i, l in enumerate(lines) if l.startswith("```sql")][:2]
named["001_users.sql"] = block(first[0])[1]
named["002_orders.sql"] = block(first[1])[1]


def parse_examples():
    """[(rule, kind, prose, files, output, output line range)]"""
    out, rule, i = [], None, 0
    while i < len(lines):
        l = lines[i]
        m = re.match(r"### `([a-z-]+)`$", l)
        if m:
            rule = m.group(1)
        elif l.startswith("## "):
            rule = None
        if rule and (l.startswith("**Bad**") or l.startswith("**Good**")):
            kind = "bad" if l.startswith("**Bad**") else "good"
            prose, files, output, span = [l], [], None, None
            i += 1
            while i < len(lines):
                l = lines[i]
                if (l.startswith("**Bad**") or l.startswith("**Good**")
                        or l.startswith("#")):
                    break
                fm = re.match(r"`migrations/([^`]+)`:$", l)
                if fm:
                    j = i + 1
                    while not lines[j].startswith("```"):
                        j += 1
                    _, text, i = block(j)
                    files.append((fm.group(1), text))
                    continue
                if l.startswith("```"):
                    lang, text, nxt = block(i)
                    if lang == "" and kind == "bad" and files:
                        output, span = text, (i + 1, nxt - 1)
                    i = nxt
                    continue
                if not files:
                    prose.append(l)
                i += 1
            out.append((rule, kind, " ".join(prose), files, output, span))
            continue
        i += 1
    return out


def folder(prose, files):
    for m in re.finditer(r"`([0-9][^` ]*\.sql)` \(`([^`]*)`\)", prose):
        named[m.group(1)] = m.group(2).replace("; ", ";\n") + "\n"
        in_section[m.group(1)] = named[m.group(1)]
    shown = {f for f, _ in files}
    base = {}
    for m in re.finditer(r"`([0-9][^` ]*\.sql)`", prose):
        f = m.group(1)
        text = in_section.get(f, named.get(f))
        if text is not None and f not in shown:
            base[f] = text
    if not any(version(f) == "001" for f in shown | set(base)):
        base["001_users.sql"] = named["001_users.sql"]
    base.update(dict(files))
    return base


def run(case, files):
    d = os.path.join(work, case)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "migrations"))
    for f, text in files.items():
        with open(os.path.join(d, "migrations", f), "w", encoding="utf-8") as h:
            h.write(text)
    p = subprocess.run([migc, "check", "migrations"], cwd=d,
                       capture_output=True, text=True)
    return p.stdout + p.stderr


failed, checked, edits = 0, 0, []
bad_files = {}  # (rule, label) -> the Bad example's folder
section, in_section = None, {}  # the files the section's examples showed
for n, (rule, kind, prose, files, output, span) in enumerate(parse_examples()):
    if rule in SKIP:
        continue
    if rule != section:
        section, in_section = rule, {}
    case = "%s-%d-%s" % (rule, n, kind)
    if kind == "bad":
        fs = folder(prose, files)
        bad_files[(rule, label(prose))] = fs
        bad_files[(rule, None)] = fs
        for f, text in files:  # a later one of the section: "after `F`"
            in_section.setdefault(f, text)
        if output is None:
            continue
        got = run(case, fs)
        checked += 1
        if got != output:
            if update:
                edits.append((span, got))
            else:
                failed += 1
                print("doc_examples.sh: %s: the Bad example prints\n%s"
                      "docs/rules.md shows\n%s" % (rule, got, output),
                      file=sys.stderr)
    else:
        if rule in SKIP_GOOD:
            continue
        bad = bad_files.get((rule, label(prose)))
        if bad is None:
            bad = bad_files.get((rule, None), {})
        # a Good file stands for the Bad one of its version or description
        fs = {f: t for f, t in bad.items()
              if version(f) not in {version(g) for g, _ in files}
              and description(f) not in {description(g) for g, _ in files}}
        fs.update(dict(files))
        got = run(case, fs)
        checked += 1
        if "[%s]" % rule in got:
            failed += 1
            print("doc_examples.sh: %s: the Good example draws it:\n%s"
                  % (rule, got), file=sys.stderr)

if update and edits:
    for (a, b), got in sorted(edits, reverse=True):
        lines[a:b] = got.rstrip("\n").split("\n")
    open(doc_path, "w", encoding="utf-8").write("\n".join(lines))
    print("doc_examples.sh: rewrote %d outputs" % len(edits))
if failed:
    sys.exit(1)
print("doc_examples.sh: %d examples of docs/rules.md agree with migc" % checked)
PY
