using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Fixtures;

/// <summary>Recording then replaying is faithful, and no secret ever reaches a fixture file or a dry-run printout.</summary>
public class FixtureProperties
{
    private const string ApiKey = "pk_PROPERTYKEY_00112233";

    // Pieces a generated string is made of: ASCII, characters that need escaping in URLs and JSON, non-ASCII.
    private static readonly string[] Pieces =
    [
        "a",
        "Z",
        "0",
        "9",
        " ",
        "&",
        "=",
        "+",
        "%",
        "/",
        "?",
        "#",
        "'",
        "\"",
        "\\",
        "\n",
        "\t",
        "[",
        "]",
        ",",
        "é",
        "中",
        "😀",
        "-",
        "_",
        ".",
        "~",
        "<",
        ">",
    ];

    private static readonly Gen<string> Text = Gen.Elements(Pieces)
        .ListOf()
        .Select(p => string.Concat(p));

    private static readonly Gen<string> Word = Gen.Elements("a", "b", "c", "x", "1", "2")
        .NonEmptyListOf()
        .Select(p => string.Concat(p));

    private static Gen<JsonNode?> JsonValueGen(int depth)
    {
        var leaf = Gen.OneOf(
            Text.Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Choose(-1000, 1000).Select(n => (JsonNode?)JsonValue.Create(n)),
            Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Constant<JsonNode?>(null)
        );
        if (depth == 0)
            return leaf;
        return Gen.Frequency(
            (3, leaf),
            (1, JsonObjectGen(depth - 1).Select(o => (JsonNode?)o)),
            (
                1,
                JsonValueGen(depth - 1)
                    .ListOf()
                    .Select(items =>
                        (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray())
                    )
            )
        );
    }

    // Keys avoid the secret field names (access_token, code, …), whose values are masked by design.
    private static Gen<JsonObject> JsonObjectGen(int depth) =>
        Gen.Elements("data", "type", "id", "attributes", "value", "items", "name", "links")
            .Zip(JsonValueGen(depth))
            .ListOf()
            .Select(pairs =>
            {
                var obj = new JsonObject();
                foreach (var (k, v) in pairs)
                    obj[k] = v?.DeepClone();
                return obj;
            });

    private static readonly Gen<RequestOperation> Requests =
        from method in Gen.Elements(
            HttpMethod.Get,
            HttpMethod.Post,
            HttpMethod.Patch,
            HttpMethod.Delete
        )
        from resource in Gen.Elements("profiles", "lists", "events", "catalog-items")
        from id in Gen.OneOf(
            Gen.Constant<string?>(null),
            Text.Where(t => t.Length > 0 && t is not ("." or "..")).Select(t => (string?)t)
        )
        from query in Gen.Elements("page[size]", "filter", "sort", "fields[profile]")
            .Zip(Text)
            .ListOf(3)
        from body in method == HttpMethod.Get || method == HttpMethod.Delete
            ? Gen.Constant<JsonObject?>(null)
            : JsonObjectGen(2).Select(o => (JsonObject?)o)
        select (
            id is null
                ? new RequestOperation(method, "/api/" + resource)
                : PathTemplate.Operation(method, "/api/" + resource + "/{id}", id)
        ) with
        {
            Query = toSeq(query.Select(q => (q.Item1, q.Item2))),
            Body = body is null ? RequestBody.None : RequestBody.Json(body),
        };

    private static readonly Gen<RawResponse> Responses =
        from status in Gen.Elements(200, 201, 202, 204, 400, 404, 429, 500)
        from requestId in Word
        from kind in Gen.Choose(0, 3)
        from json in JsonObjectGen(2)
        from text in Text
        from bytes in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()
        select kind switch
        {
            0 => new RawResponse(
                status,
                Seq1(("x-request-id", requestId)),
                ReadOnlyMemory<byte>.Empty
            ),
            1 => new RawResponse(
                status,
                Seq(("content-type", "application/vnd.api+json"), ("x-request-id", requestId)),
                Encoding.UTF8.GetBytes(json.ToJsonString())
            ),
            2 => new RawResponse(
                status,
                Seq(("content-type", "text/plain; charset=utf-8"), ("x-request-id", requestId)),
                Encoding.UTF8.GetBytes(text)
            ),
            _ => new RawResponse(
                status,
                Seq(("content-type", "application/octet-stream"), ("x-request-id", requestId)),
                bytes
            ),
        };

    private static readonly Arbitrary<(
        List<(RequestOperation, RawResponse)> Exchanges,
        bool MatchBody
    )> Sessions = (
        // Requests are drawn from a small pool, so the same request often comes back with another answer.
        from pool in Requests.NonEmptyListOf().Select(l => l.Take(4).ToArray())
        from exchanges in Gen.Choose(0, pool.Length - 1)
            .Zip(Responses)
            .ListOf()
            .Select(l => l.Select(x => (pool[x.Item1], x.Item2)).ToList())
        from matchBody in Gen.Elements(false, true)
        select (exchanges, matchBody)
    ).ToArbitrary();

    private static bool SameResponse(RawResponse recorded, RawResponse replayed)
    {
        if (recorded.StatusCode != replayed.StatusCode || recorded.Headers != replayed.Headers)
            return false;
        var contentType = recorded
            .Headers.Find(h => h.Name == "content-type")
            .Map(h => h.Value)
            .IfNone("");
        return MediaTypes.IsJson(contentType)
            ? JsonNode.DeepEquals(
                JsonNode.Parse(recorded.Body.Span),
                JsonNode.Parse(replayed.Body.Span)
            )
            : recorded.Body.Span.SequenceEqual(replayed.Body.Span);
    }

    private static KlaviyoRequest Build(RequestOperation op, KlaviyoOptions options) =>
        RequestBuilder
            .Build(op, options)
            .Match(r => r, e => throw new InvalidOperationException(e.Message));

    [Property(MaxTest = 100)]
    public Property Replaying_a_recording_gives_the_recorded_responses_in_order() =>
        Prop.ForAll(
            Sessions,
            session =>
            {
                using var folder = new TempFolder();
                var path = folder.File();
                var options = new KlaviyoOptions { ApiKey = ApiKey };
                var fixtureOptions = new FixtureOptions { MatchBody = session.MatchBody };
                var answers = new Queue<RawResponse>(session.Exchanges.Select(e => e.Item2));
                using (
                    var recorder = Interpreter.Record(
                        new FunctionInterpreter(_ => answers.Dequeue()),
                        path,
                        options: fixtureOptions
                    )
                )
                    foreach (var (op, _) in session.Exchanges)
                        recorder.ExecuteAsync(Build(op, options), default).GetAwaiter().GetResult();
                if (session.Exchanges.Count == 0)
                    return !File.Exists(path);

                var replay = Interpreter.Replay(path, fixtureOptions);
                return session.Exchanges.All(e =>
                    replay
                        .ExecuteAsync(Build(e.Item1, options), default)
                        .GetAwaiter()
                        .GetResult()
                        .Match(r => SameResponse(e.Item2, r), _ => false)
                );
            }
        );

    // Recognisable random tokens, one per kind of secret.
    private static Gen<string> Token(string prefix) =>
        Gen.Elements("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".ToCharArray())
            .ArrayOf(24)
            .Select(chars => prefix + new string(chars));

    public sealed record Secrets(
        string ApiKey,
        string AccessToken,
        string ClientSecret,
        string RefreshToken
    )
    {
        public string[] All => [ApiKey, AccessToken, ClientSecret, RefreshToken];
    }

    private static readonly Gen<Secrets> SecretGen =
        from apiKey in Token("pk_")
        from accessToken in Token("at_")
        from clientSecret in Token("cs_")
        from refreshToken in Token("rt_")
        select new Secrets(apiKey, accessToken, clientSecret, refreshToken);

    // Operations carrying every secret in every place a request has: path, query, header, JSON body, form body.
    private static Gen<List<RequestOperation>> SecretRequests(Secrets s) =>
        from places in Gen.Choose(0, 4).ListOf(6)
        from kinds in Gen.Choose(0, 3).ListOf(6)
        from around in Text
        select places
            .Zip(kinds)
            .Select(wh =>
            {
                var secret = s.All[wh.Item2];
                var op = wh.Item1 switch
                {
                    0 => PathTemplate.Operation(
                        HttpMethod.Get,
                        "/api/profiles/{id}",
                        around + secret
                    ),
                    1 => new RequestOperation(HttpMethod.Get, "/api/profiles").WithQuery(
                        "filter",
                        $"equals(x,'{around}{secret}')"
                    ),
                    2 => new RequestOperation(HttpMethod.Get, "/api/lists").WithHeader(
                        "x-echo",
                        // A header carries printable ASCII only (anything else is refused before sending).
                        secret + new string(around.Where(c => c is >= ' ' and <= '~').ToArray())
                    ),
                    3 => new RequestOperation(HttpMethod.Post, "/api/events").WithBody(
                        RequestBody.Json(
                            new
                            {
                                data = new
                                {
                                    attributes = new
                                    {
                                        note = around + secret + around,
                                        list = new[] { secret },
                                    },
                                },
                            }
                        )
                    ),
                    _ => new RequestOperation(HttpMethod.Post, "/oauth/token")
                    {
                        SendCredentials = false,
                        Body = RequestBody.Form(
                            Seq(
                                ("grant_type", "refresh_token"),
                                ("refresh_token", s.RefreshToken),
                                ("client_secret", s.ClientSecret),
                                ("note", around + secret)
                            )
                        ),
                    },
                };
                return op with
                {
                    Secrets = Seq(Secret.Of(s.ClientSecret), Secret.Of(s.RefreshToken)),
                };
            })
            .ToList();

    private static readonly Arbitrary<(Secrets, List<RequestOperation>, bool Http)> SecretSessions =
        (
            from secrets in SecretGen
            from ops in SecretRequests(secrets)
            from http in Gen.Elements(false, true)
            select (secrets, ops, http)
        ).ToArbitrary();

    // Both credentials are set (the access token is sent, the API key is still known as a secret); the OAuth values
    // are declared by each operation, as the OAuth helpers do.
    private static KlaviyoOptions SecretOptions(Secrets s) =>
        new() { ApiKey = s.ApiKey, AccessToken = s.AccessToken };

    [Property(MaxTest = 100)]
    public Property No_secret_is_ever_written_to_a_fixture() =>
        Prop.ForAll(
            SecretSessions,
            session =>
            {
                var (secrets, ops, http) = session;
                using var folder = new TempFolder();
                var path = folder.File();
                var options = SecretOptions(secrets);
                // The server echoes the request's secrets and hands out tokens and a cookie.
                var inner = new FunctionInterpreter(r => new RawResponse(
                    200,
                    Seq(
                        ("content-type", "application/json"),
                        ("set-cookie", "s=" + secrets.AccessToken)
                    ),
                    Encoding.UTF8.GetBytes(
                        new JsonObject
                        {
                            ["access_token"] = secrets.AccessToken,
                            ["refresh_token"] = secrets.RefreshToken,
                            ["echo"] = r.Url + " " + string.Join(" ", r.Headers.Map(h => h.Value)),
                        }.ToJsonString()
                    )
                ));
                using (var recorder = Interpreter.Record(inner, path))
                    foreach (var op in ops)
                        recorder.ExecuteAsync(Build(op, options), default).GetAwaiter().GetResult();

                var text = File.ReadAllText(path);
                return secrets
                    .All.All(secret => !text.Contains(secret))
                    .Label($"a secret appears in:\n{text}");
            }
        );

    [Property(MaxTest = 100)]
    public Property No_secret_is_ever_printed_by_a_dry_run() =>
        Prop.ForAll(
            SecretSessions,
            session =>
            {
                var (secrets, ops, http) = session;
                var writer = new StringWriter();
                var options = SecretOptions(secrets) with
                {
                    Client = Interpreter.DryRun(
                        writer,
                        http ? DryRunFormat.Http : DryRunFormat.Curl
                    ),
                };
                foreach (var op in ops)
                    op.SendAsync(options).GetAwaiter().GetResult();
                var text = writer.ToString();
                return (text.Length > 0 && secrets.All.All(secret => !text.Contains(secret))).Label(
                    $"a secret appears in:\n{text}"
                );
            }
        );
}
