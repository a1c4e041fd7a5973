#!/usr/bin/env python3
"""The Chinese book, beside the English one.

    python3 docs/i18n.py pot            write docs/po/messages.pot from the sources
    python3 docs/i18n.py update         merge it into docs/po/zh-CN.po (msgmerge)
    python3 docs/i18n.py check-po       every entry translated, none fuzzy, tokens kept
    python3 docs/i18n.py check-book     the built Chinese pages: same listings, Chinese transcripts
    python3 docs/i18n.py build          both books: docs/book (English), docs/book/zh-CN
    python3 docs/i18n.py preprocess     (run by mdbook) the Chinese book shows Chinese runs

The text lives in docs/po/zh-CN.po (gettext, from mdbook-i18n-helpers). The
gettext preprocessor runs before `links`, so no message holds an included
listing or transcript: listings are shown unchanged, and for the Chinese
book this script's preprocessor points every `transcripts/NAME.txt` include
at `transcripts/zh/NAME.txt`, which docs/transcripts.py writes from runs in
the Chinese locale.
"""

import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

DOCS = Path(__file__).resolve().parent
PO = DOCS / "po" / "zh-CN.po"
POT = DOCS / "po" / "messages.pot"
BOOK = DOCS / "book"
LOCALES = DOCS.parent / "shared" / "lesson" / "locales" / "zh-CN"

# A code span a translation must keep byte for byte: a token (no space) or a
# command a student types. A span with spaces that quotes a line a program
# prints may become the line the Chinese program prints.
COMMANDS = ("cargo", "tcp-server", "tcp-client", "udp-server", "udp-client", "python3",
            "python", "ss ", "socat", "nc ", "ulimit", "taskset", "ps ", "curl", "export",
            "git", "mdbook", "trace-draw", "strace", "perf", "ip ", "sudo", "kill", "echo",
            "printf", "LANG=", "LC_ALL=", "NO_COLOR", "cd ", "ls", "rm ", "sh ", "bash",
            "xxd", "od ", "cat", "head", "grep", "for ", "seq", "while", "sysctl", "prlimit")


# A one-word code span that quotes what a program prints, and the word the
# Chinese program prints there (the catalogs in shared/lesson/locales).
PRINTED = {"connected": "已连接到 …", "late:": "迟到：", "again:": "重复：",
           "unmatched:": "无法匹配：", "reset": "重置", "refused": "被拒绝",
           "messages": "消息", "packets": "数据包"}


def unquote(s):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def parse_po(text):
    """The entries of a PO file: dicts with msgid, msgstr, flags, refs, line."""
    entries = []
    entry, field = None, None
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgid": "", "msgstr": "", "flags": set(), "refs": "", "line": number,
                     "obsolete": False}
            entries.append(entry)
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#:"):
            entry["refs"] += line[2:].strip() + " "
        elif line.startswith("#"):
            pass
        elif line.startswith(("msgid ", "msgstr ")):
            field, rest = line.split(" ", 1)
            entry[field] = unquote(rest.strip()[1:-1])
        elif line.startswith('"') and field:
            entry[field] += unquote(line.strip()[1:-1])
        else:
            raise SystemExit(f"{number}: not a PO line: {line!r}")
    return [e for e in entries if e["msgid"] and not e["obsolete"]]


def kept_spans(text):
    spans = [m.group(2) for m in re.finditer(r"(`+)(.+?)\1", text, re.S)]
    return [s for s in spans if " " not in s.strip() or s.startswith(COMMANDS)]


def problems_of(entry):
    """What a translation lost: empty, fuzzy, or a token, link or tag missing."""
    msgid, msgstr = entry["msgid"], entry["msgstr"]
    if "fuzzy" in entry["flags"]:
        return ["fuzzy"]
    if not msgstr.strip():
        return ["untranslated"]
    found = []
    for span in kept_spans(msgid):
        if span not in msgstr and f"`{PRINTED.get(span)}`" not in msgstr:
            found.append(f"code `{span}` is missing")
    for target in re.findall(r"\]\(([^)\s]+)\)", msgid):
        if f"]({target})" not in msgstr:
            found.append(f"link target ({target}) is missing")
    for tag in re.findall(r"<[a-z][^>]*>", msgid):
        if tag not in msgstr:
            found.append(f"tag {tag} is missing")
    for directive in re.findall(r"\{\{#[^}]*\}\}|\{#[a-z0-9-]+\}", msgid):
        if directive not in msgstr:
            found.append(f"{directive} is missing")
    return found


def check_po(path=None):
    path = Path(path or (sys.argv[2] if len(sys.argv) > 2 else PO))
    entries = parse_po(Path(path).read_text())
    problems = []
    catalogs = "".join(f.read_text() for f in LOCALES.glob("*.ftl"))
    for word, chinese in PRINTED.items():
        if chinese.removesuffix(" …") not in catalogs:
            problems.append(f"PRINTED: no Chinese program prints {chinese!r} (for `{word}`)")
    for entry in entries:
        for problem in problems_of(entry):
            where = entry["refs"].split()[0] if entry["refs"] else "?"
            problems.append(f"{path.name}:{entry['line']} ({where}): {problem}: "
                            f"{entry['msgid'][:60]!r}")
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} problems in {len(entries)} entries", file=sys.stderr)
        sys.exit(1)
    print(f"{path.name}: all {len(entries)} entries translated, none fuzzy, every token kept")


def mdbook(*args, env=None):
    subprocess.run(["mdbook", *args], cwd=DOCS, check=True,
                   env={**os.environ, **(env or {})})


def pot():
    """The template, from the sources as written (no includes expanded)."""
    mdbook("build", "-d", str(DOCS / "po"), env={
        "MDBOOK_BUILD__USE_DEFAULT_PREPROCESSORS": "false",
        "MDBOOK_OUTPUT": json.dumps({"xgettext": {"pot-file": "messages.pot",
                                                  "granularity": 0}})})
    print(f"wrote {POT.relative_to(DOCS.parent)}")


def update():
    pot()
    subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", "--no-wrap",
                    str(PO), str(POT)], check=True)
    # What the chapters no longer say goes: git keeps the history.
    subprocess.run(["msgattrib", "--no-obsolete", "--no-wrap", "-o", str(PO), str(PO)],
                   check=True)
    print(f"merged into {PO.relative_to(DOCS.parent)}; now check-po")


def build():
    """The English book, then the Chinese one in its zh-CN/ folder (the
    English build empties docs/book first)."""
    import shutil

    if not shutil.which("mdbook-gettext"):
        raise SystemExit("i18n: the Chinese book needs mdbook-gettext: "
                         "cargo install mdbook-i18n-helpers --locked")
    mdbook("build")
    mdbook("build", "-d", str(BOOK / "zh-CN"), env={
        "MDBOOK_BOOK__LANGUAGE": "zh-CN", "MDBOOK_BOOK__TITLE": "套接字，一步一步"})
    print("built docs/book (English) and docs/book/zh-CN (简体中文)")


def walk(items):
    for item in items:
        chapter = item.get("Chapter") if isinstance(item, dict) else None
        if chapter:
            yield chapter
            yield from walk(chapter.get("sub_items", []))


def preprocess():
    """An mdbook preprocessor: for the Chinese book, each transcript include
    names the same run made in the Chinese locale, and each picture the
    same trace drawn with Chinese labels."""
    if len(sys.argv) > 2 and sys.argv[2] == "supports":
        sys.exit(0)
    context, book = json.load(sys.stdin)
    language = context.get("config", {}).get("book", {}).get("language")
    if language == "zh-CN":
        for chapter in walk(book.get("items", book.get("sections", []))):
            content = re.sub(r"(\{\{#include\s+(?:\.\./)*transcripts/)(?!zh/)",
                             r"\1zh/", chapter["content"])
            chapter["content"] = re.sub(r"(\]\((?:\.\./)*img/)(?!zh/)", r"\1zh/", content)
    json.dump(book, sys.stdout)


def code_blocks(html):
    return [unescape(re.sub(r"<[^>]+>", "", m.group(1)))
            for m in re.finditer(r"<pre><code[^>]*>(.*?)</code></pre>", html, re.S)]


def pickers_in_a_browser():
    """The picker as a reader's browser shows it: on a page in a folder of
    each book, a link to the same page in the other book."""
    import shutil
    import tempfile

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        return ["check-book: no chromium to show the picker (apt-get install chromium)"]
    problems = []
    for page, other, text in [(BOOK / "tcp-server" / "bind.html",
                               BOOK / "zh-CN" / "tcp-server" / "bind.html", "中文"),
                              (BOOK / "zh-CN" / "labs.html", BOOK / "labs.html", "English")]:
        with tempfile.TemporaryDirectory() as folder:
            shown = subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={folder}/profile", "--dump-dom",
                 page.as_uri()], capture_output=True, text=True, timeout=60).stdout
        link = re.search(r'<a id="language-picker" href="([^"]+)"[^>]*>([^<]*)</a>', shown)
        if not link:
            problems.append(f"{page.relative_to(BOOK)}: the browser shows no language picker")
        elif (page.parent / link.group(1)).resolve() != other.resolve() or link.group(2) != text:
            problems.append(f"{page.relative_to(BOOK)}: the picker says {link.group(2)!r} "
                            f"and leads to {link.group(1)}, not {other.relative_to(BOOK)}")
    return problems


def check_book():
    """Each Chinese page shows the English page's listings unchanged; where
    the English page shows a transcript the Chinese page shows the Chinese
    run of the same scenario, and for each picture its Chinese drawing."""
    transcripts = DOCS / "src" / "transcripts"
    english_runs = {p.read_text().rstrip("\n"): p.name for p in transcripts.glob("*.txt")}
    chinese_runs = {p.read_text().rstrip("\n"): p.name for p in (transcripts / "zh").glob("*.txt")}
    pages = [p for p in BOOK.rglob("*.html")
             if "zh-CN" not in p.parts and p.name not in ("print.html", "toc.html", "404.html")]
    if not pages:
        raise SystemExit("check-book: no rendered book; build both languages first")
    problems, listings, runs, drawings = [], 0, 0, 0
    for page in pages:
        twin = BOOK / "zh-CN" / page.relative_to(BOOK)
        if not twin.exists():
            problems.append(f"{twin.relative_to(BOOK)}: missing")
            continue
        english, chinese = code_blocks(page.read_text()), code_blocks(twin.read_text())
        name = page.relative_to(BOOK)
        if len(english) != len(chinese):
            problems.append(f"{name}: {len(english)} code blocks in English, {len(chinese)} in Chinese")
            continue
        for block, twin_block in zip(english, chinese):
            key = block.rstrip("\n")
            if key in english_runs:
                runs += 1
                if chinese_runs.get(twin_block.rstrip("\n")) != english_runs[key]:
                    problems.append(f"{name}: the Chinese page does not show the Chinese run "
                                    f"of {english_runs[key]}")
            else:
                listings += 1
                if block != twin_block:
                    problems.append(f"{name}: a listing differs: {block[:60]!r}")
        pictures = re.findall(r'<img src="([^"]+)"', page.read_text())
        twins = re.findall(r'<img src="([^"]+)"', twin.read_text())
        for picture, twin_picture in zip(pictures, twins):
            if twin_picture != picture.replace("img/", "img/zh/") or \
                    not (twin.parent / twin_picture).exists():
                problems.append(f"{name}: the Chinese page shows {twin_picture} for {picture}")
        if len(pictures) != len(twins):
            problems.append(f"{name}: {len(pictures)} pictures in English, {len(twins)} in Chinese")
        drawings += len(twins)
        if not all(re.search(r'<script src="[./]*(theme/)?language-picker[\w-]*\.js"', p.read_text())
                   for p in (page, twin)):
            problems.append(f"{name}: no language picker")
    problems += pickers_in_a_browser()
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"Chinese book: {len(pages)} pages, {listings} listings as in English, "
          f"{runs} transcripts from Chinese runs, {drawings} pictures with Chinese labels, "
          "a language picker on each")


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    actions = {"pot": pot, "update": update, "check-po": check_po, "check-book": check_book,
               "preprocess": preprocess, "build": build}
    if command not in actions:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    actions[command]()


if __name__ == "__main__":
    main()
