using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Leaks;

/// <summary>
/// Recognisable fake secrets (API key, access token, OAuth client secret, refresh token, authorization code, PKCE
/// verifier) are sent through every interpreter and every error path; then everything the library produced — dry-run
/// text, fixture files, exception messages, <c>ToString()</c> of options, operations, requests, responses and
/// errors, log lines, activity tags — is searched for them. Response bodies the server echoes are the caller's data
/// and are not searched; every message and every <c>ToString()</c> is.
/// </summary>
public class SecretLeakTests
{
    private const string ClientId = "leakcheck-client";
    private const string RedirectUri = "https://example.com/callback";

    /// <summary>Random letters and digits, different on every run, so no fixed string can hide a leak.</summary>
    private static string Random16() =>
        RandomNumberGenerator.GetString(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            16
        );

    private sealed class Secrets
    {
        public string ApiKey { get; } = "pk_LEAKCHECK_" + Random16();

        // Shaped like a JWT: dots between parts.
        public string AccessToken { get; } =
            "at_LEAKCHECK_" + Random16() + "." + Random16() + "." + Random16();

        public string ClientSecret { get; } = "cs_LEAKCHECK_" + Random16();

        // Base64-ish, with characters that change when percent-encoded or JSON-escaped.
        public string RefreshToken { get; } =
            "rt_LEAKCHECK_" + Random16() + "+/" + Random16() + "==";

        public string Code { get; } = "ac_LEAKCHECK_" + Random16();

        public string Verifier { get; } = "cv_LEAKCHECK_" + Random16() + "-" + Random16() + "~x";

        public string BasicCredentials =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));

        public IEnumerable<(string Name, string Value)> All =>
            [
                ("API key", ApiKey),
                ("access token", AccessToken),
                ("client secret", ClientSecret),
                ("refresh token", RefreshToken),
                ("authorization code", Code),
                ("code verifier", Verifier),
                ("client credentials (base64)", BasicCredentials),
            ];

        /// <summary>
        /// What a leak looks like: each secret as is, percent-encoded, form-encoded and JSON-escaped, and each random
        /// run of 16 characters in it (which survives any encoding and any truncation around it).
        /// </summary>
        public IReadOnlyList<(string Name, string Marker)> Markers()
        {
            var markers = new List<(string, string)>();
            foreach (var (name, value) in All)
            {
                markers.Add((name, value));
                markers.Add((name + " (percent-encoded)", Uri.EscapeDataString(value)));
                markers.Add((name + " (form-encoded)", WebUtility.UrlEncode(value)));
                markers.Add((name + " (JSON-escaped)", JsonSerializer.Serialize(value)[1..^1]));
                foreach (var run in AlphanumericRuns(value).Where(r => r.Length >= 16))
                    markers.Add((name + " (random part)", run));
            }
            return markers.Distinct().ToArray();
        }

        private static IEnumerable<string> AlphanumericRuns(string s)
        {
            var sb = new StringBuilder();
            foreach (var c in s + " ")
            {
                if (char.IsAsciiLetterOrDigit(c))
                    sb.Append(c);
                else
                {
                    // The fixed "LEAKCHECK" tag is not random: keep only what follows it.
                    var run = sb.ToString().Replace("LEAKCHECK", "");
                    if (run.Length > 0)
                        yield return run;
                    sb.Clear();
                }
            }
        }
    }

    /// <summary>Everything the library produced that a person or a log could see.</summary>
    private sealed class Evidence
    {
        private readonly ConcurrentQueue<(string Where, string Text)> _items = new();

        public IReadOnlyList<(string Where, string Text)> Items => _items.ToArray();

        public void Add(string where, string? text)
        {
            if (!string.IsNullOrEmpty(text))
                _items.Enqueue((where, text));
        }

        public void Error(string where, KlaviyoError error)
        {
            Add(where + ": error.Message", error.Message);
            Add(where + ": error.ToString()", error.ToString());
            switch (error)
            {
                case KlaviyoError.Api api:
                    Add(where + ": Api.Summary", api.Summary);
                    Add(where + ": Api.Response.ToString()", api.Response.ToString());
                    Add(
                        where + ": Api.Response.Headers.ToString()",
                        api.Response.Headers.ToString()
                    );
                    break;
                case KlaviyoError.Decode decode:
                    Add(where + ": Decode.Reason", decode.Reason);
                    Add(where + ": Decode.Headers.ToString()", decode.Headers.ToString());
                    break;
                case KlaviyoError.Transport transport:
                    Add(where + ": Transport.Reason", transport.Reason);
                    break;
                case KlaviyoError.Validation validation:
                    foreach (var p in validation.Problems)
                        Add(where + ": Validation problem", p);
                    break;
            }
        }

        public void Result(string where, Either<KlaviyoError, KlaviyoResponse> result) =>
            result.Match(
                response =>
                {
                    Add(where + ": response.ToString()", response.ToString());
                    Add(where + ": response.Headers.ToString()", response.Headers.ToString());
                },
                error => Error(where, error)
            );

        public void Exception(string where, Exception e)
        {
            Add(where + ": exception.Message", e.Message);
            Add(where + ": exception.ToString()", e.ToString());
            if (e is KlaviyoException k)
                Error(where + ": exception.Error", k.Error);
        }
    }

    /// <summary>Sits in front of an interpreter and keeps what it was given and what it returned, as printed.</summary>
    private sealed class Spy(string name, IInterpreter inner, Evidence evidence) : IInterpreter
    {
        public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        )
        {
            evidence.Add($"{name}: request.ToString()", request.ToString());
            evidence.Add($"{name}: request.ToCurl()", request.ToCurl());
            evidence.Add($"{name}: request.ToHttpMessage()", request.ToHttpMessage());
            evidence.Add($"{name}: request.Redact().ToString()", request.Redact().ToString());
            evidence.Add($"{name}: interpreter.ToString()", inner.ToString());
            var result = await inner.ExecuteAsync(request, cancellationToken);
            result.Match(
                raw => evidence.Add($"{name}: raw response.ToString()", raw.ToString()),
                error => evidence.Error($"{name}: raw", error)
            );
            return result;
        }
    }

    /// <summary>
    /// Echoes every request back: <c>/api/accounts</c> and the refresh grant succeed (the latter with our own tokens
    /// as the new ones), <c>/api/retry</c> is a 503, <c>/api/malformed</c> is broken JSON, everything else a 400
    /// whose JSON:API error repeats the request's headers and body (and the authorization header in a header).
    /// </summary>
    private static Func<HttpContext, ReceivedRequest, Task> Echo(Secrets s) =>
        async (ctx, received) =>
        {
            var headers = string.Join("; ", received.Headers.Select(h => $"{h.Key}: {h.Value}"));
            var authorization = received.Header("authorization") ?? "";
            string body;
            ctx.Response.ContentType = "application/vnd.api+json";
            if (received.Path == "/api/accounts")
            {
                ctx.Response.StatusCode = 200;
                body = JsonSerializer.Serialize(
                    new
                    {
                        data = new
                        {
                            type = "echo",
                            id = "1",
                            attributes = new { headers, body = received.BodyText },
                        },
                    }
                );
            }
            else if (
                received.Path == OAuth2.TokenPath
                && received.BodyText.Contains("grant_type=refresh_token")
            )
            {
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/json";
                body = JsonSerializer.Serialize(
                    new
                    {
                        access_token = s.AccessToken,
                        refresh_token = s.RefreshToken,
                        token_type = "Bearer",
                        expires_in = 3600,
                    }
                );
            }
            else if (received.Path == "/api/malformed")
            {
                ctx.Response.StatusCode = 200;
                body = "{\"echo\": \"" + headers + " " + received.BodyText;
            }
            else
            {
                ctx.Response.StatusCode = received.Path == "/api/retry" ? 503 : 400;
                // Some gateways echo what they were sent in headers of their own.
                ctx.Response.Headers["x-echo-authorization"] = authorization;
                body = JsonSerializer.Serialize(
                    new
                    {
                        errors = new[]
                        {
                            new
                            {
                                id = "echo",
                                status = ctx.Response.StatusCode.ToString(),
                                code = "invalid",
                                title = received.BodyText,
                                detail = headers,
                                source = new { parameter = authorization },
                            },
                        },
                    }
                );
            }
            await ctx.Response.WriteAsync(body);
        };

    private static async Task<LoopbackServer> StallingServer() =>
        await LoopbackServer.StartAsync(
            async (ctx, _) =>
                await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted)
                    .ContinueWith(_ => { })
        );

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Every kind of operation that carries a secret: API-key and token calls and the OAuth2 token operations.</summary>
    private static IReadOnlyList<(string Name, RequestOperation Operation)> Operations(Secrets s) =>
        [
            ("GET accounts", new RequestOperation(HttpMethod.Get, "/api/accounts")),
            (
                "POST profiles (400 echo)",
                new RequestOperation(HttpMethod.Post, "/api/profiles")
                {
                    Body = RequestBody.Json(new { data = new { type = "profile" } }),
                }
            ),
            (
                "GET profile (path template)",
                PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", "01HABC")
            ),
            ("GET retry (503 echo)", new RequestOperation(HttpMethod.Get, "/api/retry")),
            ("GET malformed (decode)", new RequestOperation(HttpMethod.Get, "/api/malformed")),
            (
                "OAuth2 GetToken",
                OAuth2.GetToken(ClientId, s.ClientSecret, s.Code, s.Verifier, RedirectUri)
            ),
            ("OAuth2 RefreshToken", OAuth2.RefreshToken(ClientId, s.ClientSecret, s.RefreshToken)),
            (
                "OAuth2 RevokeToken (refresh)",
                OAuth2.RevokeToken(ClientId, s.ClientSecret, s.RefreshToken, "refresh_token")
            ),
            (
                "OAuth2 RevokeToken (access)",
                OAuth2.RevokeToken(ClientId, s.ClientSecret, s.AccessToken, "access_token")
            ),
        ];

    /// <summary>Options with each kind of credential (and the key in a user header too).</summary>
    private static IReadOnlyList<(string Name, KlaviyoOptions Options)> Credentials(Secrets s) =>
        [
            (
                "API key",
                new KlaviyoOptions { ApiKey = s.ApiKey, Headers = Seq1(("x-api-key", s.ApiKey)) }
            ),
            ("access token", new KlaviyoOptions { AccessToken = s.AccessToken, ApiKey = s.ApiKey }),
        ];

    /// <summary>Sends every operation with every credential through <paramref name="client"/>, keeping what comes back.</summary>
    private static async Task DriveAsync(
        string name,
        Secrets s,
        Evidence evidence,
        Func<KlaviyoOptions, KlaviyoOptions> point,
        IInterpreter client,
        IEnumerable<(string Name, RequestOperation Operation)>? operations = null
    )
    {
        foreach (var (credential, start) in Credentials(s))
        foreach (var (opName, op) in operations ?? Operations(s))
        {
            var where = $"{name} / {credential} / {opName}";
            var options = point(start) with { Client = new Spy(where, client, evidence) };
            evidence.Add(where + ": options.ToString()", options.ToString());
            evidence.Add(where + ": operation.ToString()", op.ToString());
            evidence.Add(where + ": Operation.Send().ToString()", Operation.Send(op).ToString());
            RequestBuilder
                .Build(op, options)
                .Match(
                    request =>
                    {
                        evidence.Add(where + ": built request.ToString()", request.ToString());
                        evidence.Add(where + ": built request.ToCurl()", request.ToCurl());
                    },
                    error => evidence.Error(where + ": build", error)
                );
            evidence.Result(where + ": SendAsync", await op.SendAsync(options));
            var client2 = new KlaviyoClient(options);
            evidence.Add(where + ": client.ToString()", client2.ToString());
            try
            {
                var response = await client2.SendAsync(op);
                evidence.Add(where + ": client response.ToString()", response.ToString());
            }
            catch (KlaviyoException e)
            {
                evidence.Exception(where + ": KlaviyoClient.SendAsync", e);
            }
            var program = from first in op from second in op select second.StatusCode;
            evidence.Add(where + ": program.ToString()", program.ToString());
            (await program.RunAsync(options)).Match(
                status => evidence.Add(where + ": program result", status.ToString()),
                error => evidence.Error(where + ": program", error)
            );
        }
    }

    [Fact]
    public async Task No_secret_appears_in_anything_printed_stored_logged_or_traced_by_any_interpreter_or_error_path()
    {
        var s = new Secrets();
        var evidence = new Evidence();
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KlaviyoDiagnostics.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) =>
                ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var folder = Path.Combine(
            Path.GetTempPath(),
            "klaviyo-leak-tests",
            Guid.NewGuid().ToString("N")
        );
        await using var echo = await LoopbackServer.StartAsync(Echo(s));
        await using var stalling = await StallingServer();
        Directory.CreateDirectory(folder);
        try
        {
            var fast = new ClientOptions { Timeout = TimeSpan.FromSeconds(5) };
            KlaviyoOptions AtEcho(KlaviyoOptions o) =>
                echo.Options(o) with
                {
                    ClientOptions = fast,
                };

            // 1. Live, against the echoing server: success, 4xx and 5xx echoes, a decode error.
            using var live = Interpreter.Live();
            await DriveAsync("live", s, evidence, AtEcho, live);

            // 2. Retrying: the 503 echo is sent three times, and so is a refused connection.
            KlaviyoOptions Retrying(KlaviyoOptions o) =>
                o with
                {
                    Retry = Retry.Linear,
                    RetryOptions = new RetryOptions
                    {
                        MaxRetries = 2,
                        RetryIn = TimeSpan.FromMilliseconds(1),
                    },
                };
            await DriveAsync("retrying live", s, evidence, o => Retrying(AtEcho(o)), live);

            // 3. Transport failure: nothing listens on the port.
            var closed = ClosedPort();
            await DriveAsync(
                "closed port",
                s,
                evidence,
                o =>
                    Retrying(
                        o with
                        {
                            Protocol = "http",
                            Host = "127.0.0.1",
                            Port = closed,
                            ClientOptions = fast,
                        }
                    ),
                live
            );

            // 4. Timeout: the server never answers.
            await DriveAsync(
                "timeout",
                s,
                evidence,
                o =>
                    stalling.Options(o) with
                    {
                        ClientOptions = new ClientOptions
                        {
                            Timeout = TimeSpan.FromMilliseconds(150),
                        },
                    },
                live,
                Operations(s).Where(op => op.Name is "GET accounts" or "OAuth2 RefreshToken")
            );

            // 5. Dry run, as curl and as HTTP messages.
            var curl = new StringWriter();
            var http = new StringWriter();
            await DriveAsync("dry-run curl", s, evidence, o => o, Interpreter.DryRun(curl));
            await DriveAsync(
                "dry-run http",
                s,
                evidence,
                o => o,
                Interpreter.DryRun(http, DryRunFormat.Http)
            );
            evidence.Add("dry-run curl output", curl.ToString());
            evidence.Add("dry-run http output", http.ToString());

            // 6. Record from the echoing server into a fixture, then replay from it (and ask it for something new).
            var fixture = Path.Combine(folder, "recorded.json");
            using (var recorder = Interpreter.Record(live, fixture, RecordMode.All))
            {
                await DriveAsync("record", s, evidence, AtEcho, recorder);
                evidence.Add("recorder.ToString()", recorder.ToString());
            }
            evidence.Add("fixture file", File.ReadAllText(fixture));
            using (
                var replay = Interpreter.Replay(
                    fixture,
                    new FixtureOptions { AllowPlaybackRepeats = true }
                )
            )
            {
                await DriveAsync("replay", s, evidence, AtEcho, replay);
                var unknown = OAuth2.RefreshToken(
                    ClientId,
                    s.ClientSecret,
                    s.RefreshToken + "x"
                ) with
                {
                    Query = Seq1(("state", "unrecorded")),
                };
                await DriveAsync(
                    "replay (unrecorded)",
                    s,
                    evidence,
                    AtEcho,
                    replay,
                    [("unknown", unknown)]
                );
            }
            using (var strict = Interpreter.Replay(fixture))
                await DriveAsync("replay (strict)", s, evidence, AtEcho, strict);
            var dryFromFixture = new StringWriter();
            await DriveAsync(
                "dry-run from fixture",
                s,
                evidence,
                o => o,
                Interpreter.DryRun(
                    dryFromFixture,
                    DryRunFormat.Http,
                    DryRunResponder.FromFixture(fixture)
                )
            );
            evidence.Add("dry-run from fixture output", dryFromFixture.ToString());

            // 7. Stub: echoing the request into an error, failing with the secret in the reason, and unstubbed.
            var stub = Interpreter
                .Stub()
                .When(HttpMethod.Get, "/api/accounts")
                .Fail($"connection reset while sending {s.ApiKey}")
                .When(HttpMethod.Post, OAuth2.TokenPath)
                .RespondWith(request =>
                    StubResponse.Status(
                        401,
                        JsonSerializer.Serialize(
                            new
                            {
                                errors = new[]
                                {
                                    new
                                    {
                                        code = "not_authenticated",
                                        detail = string.Join(
                                            "; ",
                                            request.Headers.Map(h => $"{h.Name}: {h.Value}")
                                        ),
                                        title = Encoding.UTF8.GetString(
                                            request.Content.ToBytes().Span
                                        ),
                                    },
                                },
                            }
                        )
                    )
                )
                .When(HttpMethod.Get, "/api/retry")
                .TimeOut();
            evidence.Add("stub.ToString()", stub.ToString());
            await DriveAsync("stub", s, evidence, o => o, stub);
            await DriveAsync("retrying stub", s, evidence, Retrying, stub);
            foreach (var call in stub.Calls)
                evidence.Add("stub call.ToString()", call.ToString());

            // 8. Validation errors, with every secret in the options or the operation.
            var validation = new (string Name, KlaviyoOptions Options, RequestOperation Operation)[]
            {
                (
                    "API key with a trailing newline",
                    new KlaviyoOptions { ApiKey = s.ApiKey + "\r\n" },
                    new RequestOperation(HttpMethod.Get, "/api/accounts")
                ),
                (
                    "access token with a line break inside",
                    new KlaviyoOptions
                    {
                        AccessToken = s.AccessToken[..20] + "\n" + s.AccessToken[20..],
                    },
                    new RequestOperation(HttpMethod.Get, "/api/accounts")
                ),
                (
                    "CR/LF in a user header",
                    new KlaviyoOptions
                    {
                        ApiKey = s.ApiKey,
                        Headers = Seq1(
                            ("authorization", $"Klaviyo-API-Key {s.ApiKey}\r\nx-injected: 1")
                        ),
                    },
                    new RequestOperation(HttpMethod.Get, "/api/accounts")
                ),
                (
                    "bad header name",
                    new KlaviyoOptions
                    {
                        ApiKey = s.ApiKey,
                        Headers = Seq1(("bad header", s.ApiKey)),
                    },
                    new RequestOperation(HttpMethod.Get, "/api/accounts")
                ),
                (
                    "bad path parameter",
                    new KlaviyoOptions { ApiKey = s.ApiKey },
                    PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", "..")
                ),
                (
                    "credentials over plain http",
                    new KlaviyoOptions
                    {
                        AccessToken = s.AccessToken,
                        Protocol = "http",
                        Host = "example.com",
                    },
                    new RequestOperation(HttpMethod.Get, "/api/accounts")
                ),
                (
                    "OAuth2 client id with a colon",
                    new KlaviyoOptions(),
                    OAuth2.GetToken(
                        "client:" + s.ClientSecret,
                        s.ClientSecret,
                        s.Code,
                        s.Verifier,
                        RedirectUri
                    )
                ),
                (
                    "OAuth2 verifier too short",
                    new KlaviyoOptions(),
                    OAuth2.GetToken(ClientId, s.ClientSecret, s.Code, s.Verifier[..30], RedirectUri)
                ),
                (
                    "OAuth2 bad token type hint",
                    new KlaviyoOptions(),
                    OAuth2.RevokeToken(ClientId, s.ClientSecret, s.RefreshToken, s.RefreshToken)
                ),
                (
                    "lone surrogate in a form field",
                    new KlaviyoOptions { ApiKey = s.ApiKey },
                    OAuth2.RefreshToken(ClientId, s.ClientSecret, s.RefreshToken + "\uD800")
                ),
            };
            foreach (var (name, options, op) in validation)
            {
                var where = "validation: " + name;
                var result = await op.SendAsync(
                    options with
                    {
                        Client = new Spy(where, stub, evidence),
                    }
                );
                Assert.IsType<KlaviyoError.Validation>(result.Match(_ => null!, e => e));
                evidence.Result(where, result);
                evidence.Add(where + ": options.ToString()", options.ToString());
                try
                {
                    await new KlaviyoClient(options with { Client = stub }).SendAsync(op);
                }
                catch (KlaviyoException e)
                {
                    evidence.Exception(where, e);
                }
            }

            // 9. The DI client, logging at every level.
            foreach (
                var (name, token, key) in new[]
                {
                    ("DI API key", (string?)null, s.ApiKey),
                    ("DI access token", s.AccessToken, s.ApiKey),
                }
            )
            {
                var logs = new ListLoggerProvider();
                var services = new ServiceCollection();
                services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
                services.AddKlaviyo(settings =>
                {
                    settings.ApiKey = key;
                    settings.AccessToken = token;
                    settings.Protocol = "http";
                    settings.Host = "127.0.0.1";
                    settings.Port = echo.Port;
                    settings.Retry = "linear";
                    settings.MaxRetries = 1;
                    settings.Headers["x-api-key"] = s.ApiKey;
                });
                await using (var provider = services.BuildServiceProvider())
                {
                    var client = provider.GetRequiredService<KlaviyoClient>();
                    evidence.Add(name + ": client.ToString()", client.ToString());
                    evidence.Add(
                        name + ": options.ToString()",
                        provider.GetRequiredService<KlaviyoOptions>().ToString()
                    );
                    evidence.Add(
                        name + ": settings.ToString()",
                        provider
                            .GetRequiredService<Microsoft.Extensions.Options.IOptions<KlaviyoSettings>>()
                            .Value.ToString()
                    );
                    foreach (var (opName, op) in Operations(s))
                    {
                        try
                        {
                            evidence.Add(
                                $"{name} / {opName}: response",
                                (await client.SendAsync(op)).ToString()
                            );
                        }
                        catch (KlaviyoException e)
                        {
                            evidence.Exception($"{name} / {opName}", e);
                        }
                    }
                }
                Assert.Contains(logs.Lines, l => l.Contains("Klaviyo request POST"));
                foreach (var line in logs.Lines)
                    evidence.Add(name + ": log", line);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        foreach (var a in activities)
        {
            evidence.Add(
                "activity",
                $"{a.Source.Name} {a.OperationName} {a.DisplayName} {a.Status} {a.StatusDescription} "
                    + string.Join(", ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                    + string.Join(", ", a.Events.Select(e => e.Name))
                    + string.Join(", ", a.Baggage.Select(b => $"{b.Key}={b.Value}"))
            );
        }

        // The run must have produced the things it searches, and the secrets must really have gone out: otherwise
        // finding nothing would prove nothing.
        var items = evidence.Items;
        Assert.Contains(
            items,
            i => i.Where.StartsWith("dry-run curl output") && i.Text.Contains("curl")
        );
        Assert.Contains(items, i => i.Where == "fixture file" && i.Text.Contains("/oauth/token"));
        Assert.Contains(items, i => i.Where.EndsWith(": log") && i.Text.Contains(Redaction.Mask));
        Assert.Contains(items, i => i.Where == "activity" && i.Text.Contains("url.full"));
        Assert.Contains(items, i => i.Text.Contains("transport failure"));
        Assert.Contains(items, i => i.Text.Contains("no response within 0.15 s"));
        Assert.Contains(items, i => i.Text.Contains("undecodable response"));
        Assert.Contains(items, i => i.Text.Contains("after 3 attempts"));
        Assert.Contains(items, i => i.Text.Contains("no recorded interaction matches"));
        Assert.Contains(items, i => i.Text.Contains("no stub rule matches"));
        Assert.Contains(items, i => i.Text.Contains("has a CR, LF or NUL"));
        Assert.Contains(items, i => i.Text.Contains("would leave its path segment"));
        // Echoed secrets reached the error summaries and were masked there.
        Assert.Contains(
            items,
            i => i.Where.EndsWith("Api.Summary") && i.Text.Contains("Bearer " + Redaction.Mask)
        );
        Assert.Contains(
            items,
            i => i.Where.EndsWith("Api.Summary") && i.Text.Contains("token=" + Redaction.Mask)
        );
        var echoed = echo.Received;
        foreach (var (name, secret) in s.All)
        {
            // The client secret travels inside the base64 Basic credentials.
            var value = secret == s.ClientSecret ? s.BasicCredentials : secret;
            Assert.True(
                echoed.Any(r =>
                    r.Headers.Any(h => h.Value.Contains(value))
                    || r.BodyText.Contains(value)
                    || r.BodyText.Contains(Uri.EscapeDataString(value))
                ),
                $"the {name} was never sent, so the search for it proves nothing"
            );
        }

        var markers = s.Markers();
        var leaks = (
            from item in items
            from m in markers
            let at = item.Text.IndexOf(m.Marker, StringComparison.Ordinal)
            where at >= 0
            select $"{item.Where} shows the {m.Name}: …{Around(item.Text, at, m.Marker.Length)}…"
        )
            .Distinct()
            .ToArray();
        Assert.True(
            leaks.Length == 0,
            $"{leaks.Length} leak(s) in {items.Count} things searched:\n"
                + string.Join("\n", leaks.Take(40))
        );
    }

    [Fact]
    public void The_search_finds_a_secret_in_any_of_its_encodings()
    {
        var s = new Secrets();
        var markers = s.Markers();
        bool Found(string text) =>
            markers.Any(m => text.Contains(m.Marker, StringComparison.Ordinal));

        Assert.True(Found("authorization: Bearer " + s.AccessToken));
        Assert.True(Found("refresh_token=" + Uri.EscapeDataString(s.RefreshToken)));
        Assert.True(Found("refresh_token=" + WebUtility.UrlEncode(s.RefreshToken)));
        Assert.True(Found(JsonSerializer.Serialize(new { token = s.RefreshToken })));
        Assert.True(Found("Basic " + s.BasicCredentials));
        Assert.True(Found("…" + s.ClientSecret[5..]));
        Assert.False(Found("Klaviyo-API-Key [REDACTED], pk_LEAKCHECK_…"));
    }

    [Fact]
    public void Scrubbing_masks_a_secret_also_when_it_was_percent_encoded_or_form_encoded()
    {
        const string token = "rt_abc+/def ghi==";
        var text =
            $"raw {token}; rfc3986 {Uri.EscapeDataString(token)}; lower {Uri.EscapeDataString(token).ToLowerInvariant()}; form {WebUtility.UrlEncode(token)}";

        var scrubbed = Redaction.Scrub(text, Seq1(token));

        Assert.Equal(
            $"raw {Redaction.Mask}; rfc3986 {Redaction.Mask}; lower {Redaction.Mask}; form {Redaction.Mask}",
            scrubbed
        );
        // Clean text comes back as the same instance, and a secret with a lone surrogate does not throw.
        var clean = "nothing to hide here";
        Assert.Same(clean, Redaction.Scrub(clean, Seq(token, "bad\uD800value")));
    }

    private static string Around(string text, int at, int length)
    {
        var from = Math.Max(0, at - 60);
        var to = Math.Min(text.Length, at + length + 20);
        return text[from..to].ReplaceLineEndings(" ");
    }
}
