#!/usr/bin/env python3
"""local-runner.py - runs a composite action's steps on this machine the way
a GitHub runner would, for tests (tests/e2e/test_action_*.sh) and for trying
the action without pushing. `act` is not available here, so this is a small
runner written from GitHub's documentation:

- "Metadata syntax for GitHub Actions" (runs.using: composite, steps with
  run/shell/env/if/id/uses/with, outputs mapped from steps.*.outputs);
- "Contexts" and "Expressions" (${{ }} with inputs, github, runner, steps,
  env; == != && || ! and always()/success()/failure(); '' strings);
- "Workflow commands" (GITHUB_OUTPUT NAME=VALUE and NAME<<DELIM blocks,
  GITHUB_STEP_SUMMARY, GITHUB_ENV, ::error/::warning/::notice on stdout).

`uses:` steps are emulated: actions/cache@v* restores from and saves to a
directory store (exact key, then restore-keys prefixes, newest first; saved
after a successful job when the primary key missed, as its post step does),
actions/cache/restore@v* and actions/cache/save@v* do each half, and
actions/upload-artifact@v* copies the files into an artifacts directory.

usage: local-runner.py ACTION.yml CONFIG.json
CONFIG: {"inputs": {...}, "github": {...event context...}, "env": {...},
         "runner": {"os": "Linux", "arch": "X64", "temp": DIR},
         "cache_store": DIR, "artifacts": DIR, "workdir": DIR,
         "result": FILE}
Writes RESULT as JSON: steps (id, name, outcome, outputs), outputs of the
action, annotations parsed from stdout, the step summary, the job status.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import yaml


def lookup(ctx, path):
    cur = ctx
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return ""
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return cur if isinstance(cur, str) else json.dumps(cur) if isinstance(cur, (dict, list)) else str(cur)


TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|"
                   r"(?P<fn>always|success|failure|cancelled)\(\)|(?P<ref>[A-Za-z_][\w.-]*))")


def evaluate(expr, ctx, job_failed):
    """A GitHub expression with the operators actions use, to a value."""
    out, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError("cannot parse expression: " + expr)
        pos = m.end()
        if m.group("str") is not None:
            out.append(repr(m.group("str")[1:-1].replace("''", "'")))
        elif m.group("op"):
            out.append({"&&": " and ", "||": " or ", "!": " not "}.get(m.group("op"), m.group("op")))
        elif m.group("fn"):
            fn = m.group("fn")
            out.append(repr(fn == "always" or (fn == "success" and not job_failed)
                            or (fn == "failure" and job_failed)))
        else:
            ref = m.group("ref")
            out.append(repr(ref == "true") if ref in ("true", "false") else repr(lookup(ctx, ref)))
    return eval("".join(out), {"__builtins__": {}}, {})


def interpolate(value, ctx, job_failed=False):
    if not isinstance(value, str):
        return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)

    def sub(m):
        v = evaluate(m.group(1), ctx, job_failed)
        return ("true" if v else "false") if isinstance(v, bool) else str(v)
    return re.sub(r"\$\{\{(.*?)\}\}", sub, value)


def truthy(cond, ctx, job_failed):
    if cond is None:
        return not job_failed
    cond = cond.strip()
    if cond.startswith("${{") and cond.endswith("}}"):
        cond = cond[3:-2]
    uses_status = re.search(r"\b(always|success|failure|cancelled)\(\)", cond)
    v = evaluate(cond, ctx, job_failed)
    ok = v if isinstance(v, bool) else v not in ("", "0", "false", 0)
    return ok if uses_status else ok and not job_failed


def parse_output_file(path):
    """NAME=VALUE lines and NAME<<DELIM ... DELIM blocks."""
    outs = {}
    if not os.path.exists(path):
        return outs
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            i += 1
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            outs[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            outs[name] = value
        i += 1
    return outs


ANNOT = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def parse_annotation(line):
    m = ANNOT.match(line)
    if not m:
        return None
    props = {}
    if m.group(2):
        for kv in m.group(2).split(","):
            if "=" in kv:
                k, v = kv.split("=", 1)
                props[k] = v
    return {"level": m.group(1), "props": props, "message": m.group(3)}


def cache_step(step, with_, ctx, cfg, post):
    store = cfg["cache_store"]
    path = os.path.expanduser(with_["path"])
    key = with_["key"]
    restore_keys = [k.strip() for k in with_.get("restore-keys", "").split("\n") if k.strip()]
    os.makedirs(store, exist_ok=True)
    hit, restored = "false", None
    entries = sorted(os.listdir(store), key=lambda e: os.path.getmtime(os.path.join(store, e)), reverse=True)
    if key in entries:
        hit, restored = "true", key
    else:
        for prefix in restore_keys:
            match = [e for e in entries if e.startswith(prefix)]
            if match:
                restored = match[0]
                break
    if restored:
        if os.path.exists(path):
            shutil.rmtree(path)
        shutil.copytree(os.path.join(store, restored), path)
    if hit != "true":
        post.append((key, path))
    return {"cache-hit": hit, "cache-matched-key": restored or ""}


def save_cache(cfg, key, path):
    """Caches are immutable: an existing key is not overwritten."""
    dest = os.path.join(cfg["cache_store"], key)
    if os.path.isdir(path) and not os.path.exists(dest):
        shutil.copytree(path, dest)


def main():
    action_path, cfg_path = sys.argv[1], sys.argv[2]
    cfg = json.load(open(cfg_path))
    action = yaml.safe_load(open(action_path))
    action_dir = os.path.dirname(os.path.abspath(action_path))
    temp = cfg["runner"]["temp"]
    os.makedirs(temp, exist_ok=True)
    inputs = {}
    for name, spec in (action.get("inputs") or {}).items():
        inputs[name] = cfg.get("inputs", {}).get(name, (spec or {}).get("default", ""))
    ctx = {"inputs": inputs, "github": cfg.get("github", {}), "runner": cfg["runner"],
           "steps": {}, "env": cfg.get("env", {})}
    # Defaults are expressions too (github-token: ${{ github.token }}).
    for name in inputs:
        inputs[name] = interpolate(inputs[name], ctx)
    summary = os.path.join(temp, "step_summary.md")
    env_file = os.path.join(temp, "github_env")
    open(summary, "w").close()
    open(env_file, "w").close()
    base_env = dict(os.environ)
    base_env.update(cfg.get("env", {}))
    base_env.update({
        "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_ACTION_PATH": action_dir,
        "GITHUB_STEP_SUMMARY": summary, "GITHUB_ENV": env_file, "RUNNER_TEMP": temp,
        "RUNNER_OS": cfg["runner"]["os"], "RUNNER_ARCH": cfg["runner"]["arch"],
    })
    result = {"steps": [], "annotations": [], "stdout": "", "status": "success"}
    job_failed, post = False, []
    for n, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", "__step%d" % n)
        rec = {"id": sid, "name": step.get("name", ""), "outcome": "skipped", "outputs": {}}
        result["steps"].append(rec)
        ctx["steps"][sid] = {"outputs": rec["outputs"], "outcome": "skipped"}
        if not truthy(step.get("if"), ctx, job_failed):
            continue
        env = dict(base_env)
        env.update(parse_output_file(env_file))
        for k, v in (step.get("env") or {}).items():
            env[k] = interpolate(v, ctx, job_failed)
        if "uses" in step:
            with_ = {k: interpolate(v, ctx, job_failed) for k, v in (step.get("with") or {}).items()}
            if step["uses"].startswith("actions/cache@"):
                rec["outputs"].update(cache_step(step, with_, ctx, cfg, post))
            elif step["uses"].startswith("actions/cache/restore@"):
                rec["outputs"].update(cache_step(step, with_, ctx, cfg, []))
            elif step["uses"].startswith("actions/cache/save@"):
                save_cache(cfg, with_["key"], os.path.expanduser(with_["path"]))
            elif step["uses"].startswith("actions/upload-artifact@"):
                dest = os.path.join(cfg["artifacts"], with_["name"])
                os.makedirs(dest, exist_ok=True)
                for f in glob.glob(os.path.expanduser(with_["path"])):
                    shutil.copy(f, dest)
            else:
                raise SystemExit("local-runner: cannot emulate " + step["uses"])
            rec["outcome"] = "success"
        else:
            out_file = os.path.join(temp, "output_%d" % n)
            open(out_file, "w").close()
            env["GITHUB_OUTPUT"] = out_file
            cmd = interpolate(step["run"], ctx, job_failed)
            shell = step.get("shell", "bash")
            argv = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", cmd] if shell == "bash" \
                else ["sh", "-e", "-c", cmd]
            p = subprocess.run(argv, env=env, cwd=cfg["workdir"], stdout=subprocess.PIPE)
            text = p.stdout.decode("utf-8", "replace")
            sys.stdout.write(text)
            result["stdout"] += text
            for line in text.splitlines():
                a = parse_annotation(line)
                if a:
                    result["annotations"].append(a)
            rec["outputs"].update(parse_output_file(out_file))
            rec["exit"] = p.returncode
            rec["outcome"] = "success" if p.returncode == 0 else "failure"
            if p.returncode != 0:
                job_failed = True
        ctx["steps"][sid]["outcome"] = rec["outcome"]
    if not job_failed:  # actions/cache's post step (post-if: success())
        for key, path in post:
            save_cache(cfg, key, path)
    result["outputs"] = {k: interpolate(v.get("value", ""), ctx) for k, v in (action.get("outputs") or {}).items()}
    result["summary"] = open(summary).read()
    result["status"] = "failure" if job_failed else "success"
    json.dump(result, open(cfg["result"], "w"), indent=1)
    return 1 if job_failed else 0


if __name__ == "__main__":
    sys.exit(main())
