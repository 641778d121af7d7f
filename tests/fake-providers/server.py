#!/usr/bin/env python3
"""Fake provider APIs for Tokenwarden's tests: GitHub, GitLab, Slack, Hugging Face, Cloudflare,
DigitalOcean, Vercel and SendGrid, each mounted under its id (http://127.0.0.1:PORT/gitlab/...),
with the request and response shapes the providers document. State lives in memory and is
driven through /_admin/*. Standard library only; binds 127.0.0.1 and nothing else.

    python3 tests/fake-providers/server.py [--port 0] [--exit-with-parent] [--verbose]

Prints exactly one line, `listening http://127.0.0.1:PORT`, then serves until killed (or, with
--exit-with-parent, until its stdin closes). See README.md for the admin API.
"""

import argparse
import json
import os
import secrets
import string
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

PROVIDERS = ("github", "gitlab", "slack", "hugging-face", "cloudflare", "digitalocean", "vercel", "sendgrid")
ALNUM = string.ascii_letters + string.digits


def random_text(length, alphabet=ALNUM):
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_secret(provider):
    """A fresh token in the provider's format (for rotations)."""
    if provider == "gitlab":
        return "glpat-" + random_text(20, ALNUM + "-_")
    if provider == "cloudflare":
        return random_text(40, ALNUM + "-_")
    if provider == "vercel":
        return random_text(24)
    return random_text(32)


def now():
    return datetime.now(timezone.utc)


def parse_time(raw):
    """RFC 3339 or a bare date (a date means 00:00 UTC that day). None stays None."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, (int, float)):
        return datetime.fromtimestamp(raw / 1000, timezone.utc)
    if len(raw) == 10:
        return datetime.combine(date.fromisoformat(raw), datetime.min.time(), timezone.utc)
    parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def rfc3339(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def millis(moment):
    return int(moment.timestamp() * 1000) if moment else None


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.tokens = []
        self.failures = []
        self.requests = []
        self.serial = 0

    def add_token(self, spec, rotated_from=None):
        provider = spec.get("provider")
        if provider not in PROVIDERS:
            raise ValueError("unknown provider")
        if not spec.get("token"):
            raise ValueError("token is required")
        self.serial += 1
        default_id = {
            "gitlab": self.serial,
            "cloudflare": secrets.token_hex(16),
            "vercel": "tok_" + random_text(16),
        }.get(provider, str(self.serial))
        token = {
            "provider": provider,
            "token": spec["token"],
            "id": spec.get("id", default_id),
            "owner": spec.get("owner", "fake-user"),
            "name": spec.get("name", "fake token"),
            "scopes": spec.get("scopes"),
            "expires_at": spec.get("expires_at"),
            "last_used_at": spec.get("last_used_at"),
            "created_at": spec.get("created_at", rfc3339(now())),
            # Provider-specific extras: team (slack), user_id (gitlab), role (hugging-face),
            # status (cloudflare token status / digitalocean account status), expiry_format (github).
            "extra": {key: value for key, value in spec.items() if key in ("team", "user_id", "role", "status", "expiry_format", "record_use")},
            "last_used_ips": list(spec.get("last_used_ips") or []),
            "active": True,
            "revoked": False,
            "rotated_from": rotated_from,
        }
        self.tokens.append(token)
        return token

    def known_values(self):
        return [token["token"] for token in self.tokens]

    def take_failure(self, provider, method, path):
        for rule in self.failures:
            if rule.get("provider") not in (None, provider):
                continue
            if rule.get("method") and rule["method"] != method:
                continue
            if rule.get("path_contains") and rule["path_contains"] not in path:
                continue
            rule["times"] -= 1
            if rule["times"] <= 0:
                self.failures.remove(rule)
            return rule
        return None


STATE = State()


def is_expired(token):
    expiry = parse_time(token["expires_at"])
    return expiry is not None and expiry <= now()


def usable(token):
    return token is not None and token["active"] and not token["revoked"] and not is_expired(token)


class Reply(Exception):
    """Raised by endpoint code to answer: status, JSON body (or None for no body), headers."""

    def __init__(self, status, body=None, headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-providers/1"
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            sys.stderr.write("fake-providers: " + (fmt % args) + "\n")

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    # -- plumbing ---------------------------------------------------------------------------

    def dispatch(self):
        split = urlsplit(self.path)
        self.query = parse_qs(split.query)
        length = int(self.headers.get("Content-Length") or 0)
        self.raw_body = self.rfile.read(length) if length else b""
        segments = split.path.split("/", 2)
        mount = segments[1] if len(segments) > 1 else ""
        rest = "/" + segments[2] if len(segments) > 2 else "/"
        try:
            if mount == "_admin":
                self.admin(rest)
            elif mount in PROVIDERS:
                self.provider_request(mount, rest)
            raise Reply(404, {"message": "404 Not Found"})
        except Reply as reply:
            self.answer(reply)

    def answer(self, reply):
        data = b"" if reply.body is None else json.dumps(reply.body).encode()
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, str(value))
            if reply.body is not None:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data and self.command != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer

    def json_body(self):
        if not self.raw_body:
            return {}
        try:
            return json.loads(self.raw_body)
        except ValueError:
            raise Reply(400, {"message": "body is not JSON"})

    # -- admin ------------------------------------------------------------------------------

    def admin(self, rest):
        with STATE.lock:
            if self.command == "POST" and rest == "/tokens":
                try:
                    token = STATE.add_token(self.json_body())
                except ValueError as err:
                    raise Reply(400, {"error": str(err)})
                raise Reply(201, token)
            if self.command == "GET" and rest == "/tokens":
                # `active`: usable right now (not revoked, deactivated or expired).
                raise Reply(200, [dict(token, active=usable(token)) for token in STATE.tokens])
            if self.command == "POST" and rest == "/update":
                # Changes a token as if at the provider's site: `{token, scopes?, owner?, expires_at?,
                # last_used_at?, last_used_ips?, revoked?}`.
                body = self.json_body()
                token = next((t for t in STATE.tokens if t["token"] == body.get("token")), None)
                if token is None:
                    raise Reply(404, {"error": "no such token"})
                for key in ("scopes", "owner", "expires_at", "last_used_at", "last_used_ips", "revoked"):
                    if key in body:
                        token[key] = body[key]
                if body.get("revoked"):
                    token["active"] = False
                raise Reply(200, token)
            if self.command == "POST" and rest == "/fail":
                rule = self.json_body()
                if "status" not in rule and "delay_ms" not in rule:
                    raise Reply(400, {"error": "status or delay_ms is required"})
                rule["times"] = int(rule.get("times", 1))
                STATE.failures.append(rule)
                raise Reply(201, rule)
            if self.command == "POST" and rest == "/reset":
                STATE.reset()
                raise Reply(200, {"ok": True})
            if self.command == "GET" and rest == "/requests":
                raise Reply(200, STATE.requests)
        raise Reply(404, {"error": "unknown admin endpoint"})

    # -- providers --------------------------------------------------------------------------

    def provider_request(self, provider, rest):
        with STATE.lock:
            values = STATE.known_values()
            url_text = self.path + " " + unquote(self.path)
            entry = {
                "provider": provider,
                "method": self.command,
                "path": rest,
                "auth_header": next((h for h in ("authorization", "private-token") if self.headers.get(h)), None),
                "auth_scheme": (self.headers.get("Authorization") or " ").split(" ", 1)[0] or None,
                "user_agent": self.headers.get("User-Agent"),
                "token_in_url": any(value in url_text for value in values),
                "token_in_body": any(value.encode() in self.raw_body for value in values),
                "status": None,
            }
            STATE.requests.append(entry)
            rule = STATE.take_failure(provider, self.command, rest)
        try:
            if rule is not None:
                if rule.get("delay_ms"):
                    time.sleep(rule["delay_ms"] / 1000)
                if rule.get("status"):
                    headers = dict(rule.get("headers") or {})
                    if rule.get("retry_after") is not None:
                        headers["Retry-After"] = rule["retry_after"]
                    raise Reply(int(rule["status"]), rule.get("body", {"message": "injected failure"}), headers)
            with STATE.lock:
                getattr(self, "api_" + provider.replace("-", "_"))(rest)
            raise Reply(404, {"message": "404 Not Found"})
        except Reply as reply:
            entry["status"] = reply.status
            raise

    def presented(self, provider):
        """The token string the request authenticates with, the way the provider reads it."""
        if provider == "gitlab" and self.headers.get("PRIVATE-TOKEN"):
            return self.headers["PRIVATE-TOKEN"]
        scheme, _, value = (self.headers.get("Authorization") or "").partition(" ")
        schemes = ("bearer", "token") if provider == "github" else ("bearer",)
        return value.strip() if scheme.lower() in schemes and value.strip() else None

    def lookup(self, provider, value):
        return next((t for t in STATE.tokens if t["provider"] == provider and t["token"] == value), None)

    def authed(self, provider, refuse):
        """The usable token this request carries, or `refuse(token_or_None, presented)` raises."""
        value = self.presented(provider)
        token = self.lookup(provider, value) if value else None
        if not usable(token):
            refuse(token, value)
        if token["extra"].get("record_use"):
            # Like GitLab: any authenticated call counts as a use, from the caller's address.
            token["last_used_at"] = rfc3339(now())
            token["last_used_ips"] = (token["last_used_ips"] + [self.client_address[0]])[-5:]
        return token

    # GitHub ---------------------------------------------------------------------------------

    def api_github(self, rest):
        def refuse(token, value):
            raise Reply(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"})

        if self.command == "GET" and rest == "/user":
            token = self.authed("github", refuse)
            headers = {"X-RateLimit-Limit": 5000, "X-RateLimit-Remaining": 4999}
            # Classic tokens report scopes; fine-grained ones (no `scopes` given) send no header.
            if token["scopes"] is not None:
                headers["X-OAuth-Scopes"] = ", ".join(token["scopes"])
            expiry = parse_time(token["expires_at"])
            if expiry:
                suffix = "+0000" if token["extra"].get("expiry_format") == "offset" else "UTC"
                headers["github-authentication-token-expiration"] = expiry.strftime("%Y-%m-%d %H:%M:%S ") + suffix
            raise Reply(200, {"login": token["owner"], "id": 1000 + len(token["owner"]), "type": "User"}, headers)
        if self.command == "POST" and rest == "/credentials/revoke":
            body = self.json_body()
            credentials = body.get("credentials") if isinstance(body, dict) else None
            if not isinstance(credentials, list) or not credentials:
                raise Reply(422, {"message": "Invalid request", "status": "422"})
            for value in credentials:
                token = self.lookup("github", value)
                if token:
                    token["revoked"] = True
                    token["active"] = False
            raise Reply(202, {})

    # GitLab ---------------------------------------------------------------------------------

    def gitlab_token_json(self, token):
        expiry = parse_time(token["expires_at"])
        return {
            "id": token["id"],
            "name": token["name"],
            "revoked": token["revoked"],
            "created_at": token["created_at"],
            "scopes": token["scopes"] or [],
            "user_id": token["extra"].get("user_id", 42),
            "last_used_at": token["last_used_at"],
            "last_used_ips": token["last_used_ips"],
            "active": usable(token),
            "expires_at": expiry.date().isoformat() if expiry else None,
        }

    def api_gitlab(self, rest):
        def refuse(token, value):
            raise Reply(401, {"message": "401 Unauthorized"})

        self_path = "/api/v4/personal_access_tokens/self"
        if self.command == "GET" and rest == self_path:
            raise Reply(200, self.gitlab_token_json(self.authed("gitlab", refuse)))
        if self.command == "GET" and rest == "/api/v4/user":
            token = self.authed("gitlab", refuse)
            if not {"api", "read_user", "read_api"} & set(token["scopes"] or []):
                raise Reply(403, {"error": "insufficient_scope"})
            user_id = token["extra"].get("user_id", 42)
            raise Reply(200, {"id": user_id, "username": token["owner"], "name": token["owner"], "state": "active"})
        if self.command == "POST" and rest == self_path + "/rotate":
            token = self.authed("gitlab", refuse)
            if not {"api", "self_rotate"} & set(token["scopes"] or []):
                raise Reply(403, {"error": "insufficient_scope"})
            body = self.json_body()
            requested = body.get("expires_at") or (self.query.get("expires_at") or [None])[0]
            try:
                expiry = date.fromisoformat(requested) if requested else date.today() + timedelta(days=7)
            except ValueError:
                raise Reply(400, {"message": "expires_at is invalid"})
            token["revoked"] = True
            token["active"] = False
            spec = {key: token[key] for key in ("provider", "owner", "name", "scopes")}
            spec.update(token["extra"], token=new_secret("gitlab"), expires_at=expiry.isoformat())
            fresh = STATE.add_token(spec, rotated_from=token["token"])
            answer = self.gitlab_token_json(fresh)
            answer["token"] = fresh["token"]
            raise Reply(200, answer)
        if self.command == "DELETE" and rest == self_path:
            token = self.authed("gitlab", refuse)
            token["revoked"] = True
            token["active"] = False
            raise Reply(204)

    # Slack ----------------------------------------------------------------------------------

    def api_slack(self, rest):
        def refuse(token, value):
            if value is None:
                raise Reply(200, {"ok": False, "error": "not_authed"})
            if token is not None and token["revoked"]:
                raise Reply(200, {"ok": False, "error": "token_revoked"})
            if token is not None and is_expired(token):
                raise Reply(200, {"ok": False, "error": "token_expired"})
            raise Reply(200, {"ok": False, "error": "invalid_auth"})

        if self.command == "POST" and rest == "/auth.test":
            token = self.authed("slack", refuse)
            team = token["extra"].get("team", "Fake Workspace")
            headers = {"x-oauth-scopes": ",".join(token["scopes"] or [])}
            raise Reply(200, {
                "ok": True,
                "url": "https://fake-workspace.slack.com/",
                "team": team,
                "user": token["owner"],
                "team_id": "T0FAKE",
                "user_id": "U0FAKE",
            }, headers)
        if self.command == "POST" and rest == "/auth.revoke":
            token = self.authed("slack", refuse)
            token["revoked"] = True
            token["active"] = False
            raise Reply(200, {"ok": True, "revoked": True})

    # Hugging Face ---------------------------------------------------------------------------

    def api_hugging_face(self, rest):
        def refuse(token, value):
            raise Reply(401, {"error": "Invalid credentials in Authorization header"})

        if self.command == "GET" and rest == "/api/whoami-v2":
            token = self.authed("hugging-face", refuse)
            scopes = token["scopes"] or []
            role = token["extra"].get("role") or (scopes[0] if scopes in (["read"], ["write"]) else "fineGrained")
            access = {"displayName": token["name"], "role": role, "createdAt": token["created_at"]}
            if role == "fineGrained":
                access["fineGrained"] = {
                    "canReadGatedRepos": True,
                    "global": [],
                    "scoped": [{"entity": {"_id": "u1", "type": "user", "name": token["owner"]}, "permissions": scopes}],
                }
            expiry = parse_time(token["expires_at"])
            if expiry:
                access["expiration"] = rfc3339(expiry)
            raise Reply(200, {
                "type": "user",
                "id": "u1",
                "name": token["owner"],
                "fullname": token["owner"].title(),
                "email": token["owner"] + "@example.com",
                "orgs": [],
                "auth": {"type": "access_token", "accessToken": access},
            })

    # Cloudflare -----------------------------------------------------------------------------

    @staticmethod
    def cloudflare_refusal(token, value):
        raise Reply(401, {"success": False, "errors": [{"code": 1000, "message": "Invalid API Token"}], "messages": [], "result": None})

    def api_cloudflare(self, rest):
        if self.command == "GET" and rest == "/user/tokens/verify":
            value = self.presented("cloudflare")
            token = self.lookup("cloudflare", value) if value else None
            if token is None or token["revoked"]:
                self.cloudflare_refusal(token, value)
            # Expired and disabled tokens still verify, with their status.
            status = "expired" if is_expired(token) else token["extra"].get("status", "active")
            result = {"id": token["id"], "status": status}
            if token["expires_at"]:
                result["expires_on"] = rfc3339(parse_time(token["expires_at"]))
            message = "This API Token is valid and active" if status == "active" else "This API Token is " + status
            raise Reply(200, {"result": result, "success": True, "errors": [], "messages": [{"code": 10000, "message": message, "type": None}]})
        parts = rest.split("/")
        if self.command == "PUT" and len(parts) == 5 and parts[1:3] == ["user", "tokens"] and parts[4] == "value":
            actor = self.authed("cloudflare", self.cloudflare_refusal)
            if actor["extra"].get("status", "active") != "active":
                self.cloudflare_refusal(actor, None)
            target = next((t for t in STATE.tokens if t["provider"] == "cloudflare" and t["id"] == parts[3]
                           and t["owner"] == actor["owner"] and not t["revoked"]), None)
            if target is None:
                raise Reply(404, {"success": False, "errors": [{"code": 1003, "message": "Token not found"}], "messages": [], "result": None})
            target["revoked"] = True
            target["active"] = False
            spec = {key: target[key] for key in ("provider", "owner", "name", "scopes", "expires_at", "id")}
            spec.update(target["extra"], token=new_secret("cloudflare"))
            fresh = STATE.add_token(spec, rotated_from=target["token"])
            raise Reply(200, {"success": True, "errors": [], "messages": [], "result": fresh["token"]})

    # DigitalOcean ---------------------------------------------------------------------------

    def api_digitalocean(self, rest):
        def refuse(token, value):
            raise Reply(401, {"id": "Unauthorized", "message": "Unable to authenticate you"})

        if self.command == "GET" and rest == "/v2/account":
            token = self.authed("digitalocean", refuse)
            raise Reply(200, {"account": {
                "droplet_limit": 25,
                "floating_ip_limit": 3,
                "email": token["owner"],
                "name": token["name"],
                "uuid": "b6fr89dbf6d9156cace5f3c78dc9851d957381ef",
                "email_verified": True,
                "status": token["extra"].get("status", "active"),
                "status_message": "",
                "team": {"uuid": "5df3e3004a17e242b7c20ca6c9fc25b701a47ece", "name": "My Team"},
            }})

    # Vercel ---------------------------------------------------------------------------------

    def vercel_token_json(self, token):
        scopes = []
        for scope in token["scopes"] or ["user"]:
            kind, _, team = scope.partition(":")
            entry = {"type": kind, "origin": "manual", "createdAt": millis(parse_time(token["created_at"]))}
            if team:
                entry["teamId"] = team
            scopes.append(entry)
        created = millis(parse_time(token["created_at"]))
        answer = {
            "id": token["id"],
            "name": token["name"],
            "type": "oauth2-token",
            "origin": "manual",
            "scopes": scopes,
            "activeAt": millis(parse_time(token["last_used_at"])) or created,
            "createdAt": created,
        }
        if token["expires_at"]:
            answer["expiresAt"] = millis(parse_time(token["expires_at"]))
        return answer

    def api_vercel(self, rest):
        def refuse(token, value):
            raise Reply(403, {"error": {"code": "forbidden", "message": "Not authorized", "invalidToken": True}})

        if self.command == "GET" and rest == "/v5/user/tokens/current":
            raise Reply(200, {"token": self.vercel_token_json(self.authed("vercel", refuse))})
        if self.command == "GET" and rest == "/v2/user":
            token = self.authed("vercel", refuse)
            raise Reply(200, {"user": {"id": "user_fake", "email": token["owner"] + "@example.com",
                                       "name": token["owner"], "username": token["owner"]}})
        if self.command == "POST" and rest == "/v3/user/tokens":
            token = self.authed("vercel", refuse)
            body = self.json_body()
            if not isinstance(body.get("name"), str) or not body["name"]:
                raise Reply(400, {"error": {"code": "bad_request", "message": "name is required"}})
            expires = body.get("expiresAt")
            spec = {"provider": "vercel", "owner": token["owner"], "scopes": token["scopes"], "name": body["name"],
                    "token": new_secret("vercel"), "expires_at": rfc3339(parse_time(expires)) if expires else None}
            fresh = STATE.add_token(spec, rotated_from=token["token"])
            raise Reply(200, {"token": self.vercel_token_json(fresh), "bearerToken": fresh["token"]})
        if self.command == "DELETE" and rest.startswith("/v3/user/tokens/"):
            token = self.authed("vercel", refuse)
            wanted = rest.rsplit("/", 1)[1]
            target = token if wanted == "current" else next(
                (t for t in STATE.tokens if t["provider"] == "vercel" and t["id"] == wanted and t["owner"] == token["owner"]), None)
            if target is None:
                raise Reply(404, {"error": {"code": "not_found", "message": "Token not found"}})
            target["revoked"] = True
            target["active"] = False
            raise Reply(200, {"tokenId": target["id"]})

    # SendGrid -------------------------------------------------------------------------------

    def api_sendgrid(self, rest):
        def refuse(token, value):
            raise Reply(401, {"errors": [{"field": None, "message": "authorization required"}]})

        if self.command == "GET" and rest == "/v3/scopes":
            raise Reply(200, {"scopes": self.authed("sendgrid", refuse)["scopes"] or []})
        if self.command == "GET" and rest == "/v3/user/username":
            token = self.authed("sendgrid", refuse)
            if "user.username.read" not in (token["scopes"] or []):
                raise Reply(403, {"errors": [{"field": None, "message": "access forbidden"}]})
            raise Reply(200, {"username": token["owner"], "user_id": 1})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port to bind on 127.0.0.1 (0: any free port)")
    parser.add_argument("--exit-with-parent", action="store_true", help="exit when stdin reaches end of file")
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = parser.parse_args()

    Handler.verbose = args.verbose
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening http://127.0.0.1:{server.server_address[1]}", flush=True)
    if args.exit_with_parent:
        def watch_stdin():
            sys.stdin.buffer.read()
            os._exit(0)

        threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
