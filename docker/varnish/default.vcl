vcl 4.1;
# Varnish in front of the site's gunicorn (docker-compose's `varnish` service; README,
# "Deploying with the Dockerfile"). Anonymous GET/HEAD answers are kept as long as the site's
# own Cache-Control says (public, max-age=60; 30 for pages with live counters); everything
# personal goes straight to the app: requests with a session or CSRF cookie or an API token,
# the admin, documents (their privacy is checked per request), and any answer the site marks
# private, no-store, no-cache (letter downloads are counted) or that sets a cookie (Varnish's
# built-in rules, which run after these).

backend default {
    .host = "web";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;  # gunicorn stops a request after 30 s
}

# Who may PURGE or BAN: the app containers (web, and the worker, whose jobs may change
# content), which purge on every content change. Names are resolved when the VCL loads; in
# parentheses, one that does not resolve is left out instead of failing the load.
acl purgers {
    "127.0.0.1";
    "web"; # purgers
    ("worker");
}

sub vcl_recv {
    # One id per request, from the load balancer or made here: the app logs it (its JSON
    # request line) and the answer carries it, a cached one too.
    if (!req.http.X-Request-ID) {
        set req.http.X-Request-ID = "varnish-" + req.xid;
    }
    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # The site's own page cache purges by content generation (core/cache.py): any change a
        # visitor could see makes every page stale, on every host. So does any purge here: a
        # ban of every object, checked lazily by the ban lurker against x-url.
        ban("obj.http.x-url ~ ^/");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin|documents)(/|$)" || req.url ~ "^/healthz") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Any other cookie (analytics, a consent banner) does not change the page: drop it, so
    # every anonymous visitor shares one copy, as in the site's own page cache.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # For the ban lurker: bans are tested against the object, not the request.
    set beresp.http.x-url = bereq.url;
}

sub vcl_deliver {
    unset resp.http.x-url;
    set resp.http.X-Request-ID = req.http.X-Request-ID;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
