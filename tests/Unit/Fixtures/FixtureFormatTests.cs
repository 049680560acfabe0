using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.Fixtures.FixtureTestKit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Fixtures;

public sealed class FixtureFormatTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(
        new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)
    );

    public void Dispose() => _folder.Dispose();

    private FixtureOptions Options => new() { TimeProvider = _clock };

    private static KlaviyoOptions With(IInterpreter client) =>
        new()
        {
            ApiKey = ApiKey,
            Revision = "2024-10-15",
            Client = client,
        };

    [Fact]
    public async Task Writes_a_stable_indented_file_with_JSON_bodies_as_JSON_and_one_line_headers()
    {
        var path = _folder.File();
        var inner = new FunctionInterpreter(_ =>
            Json(
                201,
                """{"data":{"type":"profile","id":"p1","attributes":{"name":"Zoë"}}}""",
                ("x-request-id", "r1")
            )
        );

        await using (var recorder = Interpreter.Record(inner, path, options: Options))
            Ok(
                await PostJson("/api/profiles", new { data = new { type = "profile" } })
                    .WithQuery("additional-fields[profile]", "predictive_analytics")
                    .SendAsync(With(recorder))
            );

        Assert.Equal(
            $$"""
            {
              "version": 1,
              "interactions": [
                {
                  "request": {
                    "method": "POST",
                    "url": "https://a.klaviyo.com/api/profiles?additional-fields%5Bprofile%5D=predictive_analytics",
                    "headers": [
                      ["content-type", "application/vnd.api+json"],
                      ["revision", "2024-10-15"],
                      ["authorization", "Klaviyo-API-Key [REDACTED]"],
                      ["accept", "application/vnd.api+json"],
                      ["user-agent", "{{RequestHeaders.UserAgent}}"]
                    ],
                    "body": {
                      "data": {
                        "type": "profile"
                      }
                    }
                  },
                  "response": {
                    "status": 201,
                    "headers": [
                      ["content-type", "application/vnd.api+json"],
                      ["x-request-id", "r1"]
                    ],
                    "body": {
                      "data": {
                        "type": "profile",
                        "id": "p1",
                        "attributes": {
                          "name": "Zoë"
                        }
                      }
                    }
                  },
                  "recordedAt": "2025-01-02T03:04:05Z"
                }
              ]
            }

            """,
            File.ReadAllText(path)
        );
    }

    [Fact]
    public async Task Stores_text_bodies_as_strings_and_binary_bodies_as_base64_and_replays_them_byte_for_byte()
    {
        var path = _folder.File();
        var binary = new byte[] { 0xFF, 0x00, 0xC3, 0x28, 0x01 };
        var inner = new FunctionInterpreter(r =>
            r.Url.EndsWith("/text")
                ? new RawResponse(
                    200,
                    Seq1(("content-type", "text/plain; charset=utf-8")),
                    Encoding.UTF8.GetBytes("line 1\nline \"2\"")
                )
            : r.Url.EndsWith("/binary")
                ? new RawResponse(200, Seq1(("content-type", "application/octet-stream")), binary)
            : new RawResponse(
                200,
                Seq1(("content-type", "application/json")),
                Encoding.UTF8.GetBytes("not json {")
            )
        );
        var recorded = new List<RawResponse>();

        await using (var recorder = Interpreter.Record(inner, path, options: Options))
            foreach (var p in new[] { "/text", "/binary", "/broken" })
            {
                var request = RequestBuilder
                    .Build(Get(p), With(recorder))
                    .Match(r => r, e => throw new Exception(e.Message));
                recorded.Add((RawResponse)await recorder.ExecuteAsync(request, default));
            }

        var bodies = ReadFixture(path)
            .GetProperty("interactions")
            .EnumerateArray()
            .Select(i => i.GetProperty("response").GetProperty("body").GetRawText())
            .ToArray();
        Assert.Equal("\"line 1\\nline \\\"2\\\"\"", bodies[0]);
        Assert.Equal("{\"$base64\": \"/wDDKAE=\"}", bodies[1].Replace("\n", "").Replace("  ", ""));
        Assert.Equal("{\"$text\": \"not json {\"}", bodies[2].Replace("\n", "").Replace("  ", ""));
        var replay = Interpreter.Replay(path);
        for (var i = 0; i < 3; i++)
        {
            var p = new[] { "/text", "/binary", "/broken" }[i];
            var request = RequestBuilder
                .Build(Get(p), With(replay))
                .Match(r => r, e => throw new Exception(e.Message));
            var replayed = (RawResponse)await replay.ExecuteAsync(request, default);
            Assert.Equal(recorded[i].Body.ToArray(), replayed.Body.ToArray());
        }
    }

    [Fact]
    public async Task Reads_headers_written_as_objects_and_fixes_content_length_to_the_replayed_body()
    {
        var path = _folder.File();
        File.WriteAllText(
            path,
            """
            {
              "version": 1,
              "interactions": [
                {
                  "request": { "method": "get", "url": "https://example.test/api/lists?b=2&a=1" },
                  "response": {
                    "status": 200,
                    "headers": [
                      { "name": "Content-Type", "value": "application/vnd.api+json" },
                      { "name": "Content-Length", "value": "999" }
                    ],
                    "body": { "data": [ { "type": "list", "id": "L1" } ] }
                  }
                }
              ]
            }
            """
        );

        var response = Ok(
            await Get("/api/lists", ("a", "1"), ("b", "2"))
                .SendAsync(With(Interpreter.Replay(path)))
        );

        Assert.Equal(
            "L1",
            response
                .Json.Map(j => j.GetProperty("data")[0].GetProperty("id").GetString())
                .IfNone("")
        );
        var expectedLength = Encoding.UTF8.GetByteCount("""{"data":[{"type":"list","id":"L1"}]}""");
        Assert.Equal(expectedLength.ToString(), response.Headers["content-length"].IfNone(""));
    }

    [Fact]
    public async Task Rewrites_loaded_interactions_unchanged_when_appending_new_ones()
    {
        var path = _folder.File();
        var inner = new FunctionInterpreter(_ => Json(200, """{"data":[]}"""));
        await using (var first = Interpreter.Record(inner, path, options: Options))
            Ok(await Get("/api/lists").SendAsync(With(first)));
        var once = File.ReadAllText(path);

        await using (var second = Interpreter.Record(inner, path, RecordMode.NewEpisodes, Options))
            Ok(await Get("/api/lists", ("page[size]", "1")).SendAsync(With(second)));
        var twice = File.ReadAllText(path);

        var firstInteraction = once[..once.LastIndexOf("\n    }", StringComparison.Ordinal)];
        Assert.StartsWith(firstInteraction, twice);
        Assert.Equal(2, ReadFixture(path).GetProperty("interactions").GetArrayLength());
        Assert.DoesNotContain("\r", twice);
    }

    [Fact]
    public async Task Applies_user_filters_before_writing_and_redacted_requests_still_match()
    {
        var path = _folder.File();
        var options = Options with
        {
            FilterHeaders = Seq1("x-shop-token"),
            FilterQueryParameters = Seq1("email"),
            FilterBodyFields = Seq1("phone_number"),
            FilterValues = Seq1("ACME-INTERNAL-42"),
            ReplaceHeader = (name, value) => name == "user-agent" ? "test-agent" : value,
            ReplaceQueryParameter = (name, value) => name == "since" ? "<since>" : value,
            ReplaceBodyField = (field, value) => field == "first_name" ? "<name>" : value,
        };
        var inner = new FunctionInterpreter(_ =>
            Json(
                200,
                """{"data":{"attributes":{"phone_number":"+15550001","note":"ACME-INTERNAL-42 here"}}}"""
            )
        );
        RequestOperation Op(string email, string since, string phone) =>
            PostJson(
                    "/api/profiles",
                    new
                    {
                        data = new
                        {
                            attributes = new
                            {
                                phone_number = phone,
                                first_name = "Ann",
                                note = "ACME-INTERNAL-42",
                            },
                        },
                    }
                )
                .WithQuery("email", email)
                .WithQuery("since", since)
                .WithHeader("x-shop-token", "shop-token-123");

        await using (var recorder = Interpreter.Record(inner, path, options: options))
            Ok(await Op("ann@example.com", "2024-01-01", "+15550001").SendAsync(With(recorder)));

        var text = File.ReadAllText(path);
        foreach (
            var hidden in new[]
            {
                "shop-token-123",
                "ann@example.com",
                "2024-01-01",
                "+15550001",
                "ACME-INTERNAL-42",
                "\"Ann\"",
                RequestHeaders.UserAgent,
            }
        )
            Assert.DoesNotContain(hidden, text);
        Assert.Contains("[\"x-shop-token\", \"[REDACTED]\"]", text);
        Assert.Contains("[\"user-agent\", \"test-agent\"]", text);
        Assert.Contains("email=%5BREDACTED%5D&since=%3Csince%3E", text);
        Assert.Contains("\"first_name\": \"<name>\"", text);
        var replayed = await Op("bob@example.com", "2025-02-02", "+15559999")
            .SendAsync(With(Interpreter.Replay(path, options with { MatchBody = true })));
        Assert.True(replayed.IsRight, replayed.ToString());
    }

    [Fact]
    public async Task Never_writes_credentials_OAuth_secrets_or_returned_tokens()
    {
        var path = _folder.File();
        const string accessToken = "at_ACCESSTOKEN_9d8c7b";
        const string clientSecret = "cs_CLIENTSECRET_6a5b4c";
        const string refreshToken = "rt_REFRESHTOKEN_3f2e1d";
        var inner = new FunctionInterpreter(r =>
            !r.Url.EndsWith("/oauth/token")
                ? Json(200, "{}")
                : Json(
                    200,
                    $$"""{"access_token":"at_NEWTOKEN_1a2b3c","refresh_token":"rt_NEWREFRESH_4d5e6f","echo":"{{clientSecret}}"}""",
                    ("set-cookie", "session=cookie_SESSION_7g8h9i")
                )
        );
        var op = new RequestOperation(HttpMethod.Post, "/oauth/token")
        {
            Body = RequestBody.Form(
                Seq(
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refreshToken),
                    ("client_secret", clientSecret)
                )
            ),
            Secrets = Seq(Secret.Of(clientSecret), Secret.Of(refreshToken)),
        };

        await using (var recorder = Interpreter.Record(inner, path, options: Options))
        {
            Ok(
                await op.SendAsync(
                    new KlaviyoOptions { AccessToken = accessToken, Client = recorder }
                )
            );
            Ok(await Get("/api/lists").SendAsync(With(recorder)));
        }

        var text = File.ReadAllText(path);
        foreach (
            var secret in new[]
            {
                accessToken,
                clientSecret,
                refreshToken,
                ApiKey,
                "at_NEWTOKEN_1a2b3c",
                "rt_NEWREFRESH_4d5e6f",
                "cookie_SESSION_7g8h9i",
            }
        )
            Assert.DoesNotContain(secret, text);
        Assert.Contains("[\"authorization\", \"Bearer [REDACTED]\"]", text);
        Assert.Contains("[\"authorization\", \"Klaviyo-API-Key [REDACTED]\"]", text);
        Assert.Contains(
            "grant_type=refresh_token&refresh_token=%5BREDACTED%5D&client_secret=%5BREDACTED%5D",
            text
        );
        Assert.Contains("\"access_token\": \"[REDACTED]\"", text);
    }

    [Fact]
    public async Task Keeps_the_code_of_JSON_API_errors_in_responses()
    {
        var path = _folder.File();
        var inner = new FunctionInterpreter(_ =>
            Json(404, """{"errors":[{"code":"not_found","title":"Not found"}]}""")
        );

        await using (var recorder = Interpreter.Record(inner, path, options: Options))
            Assert.True((await Get("/api/lists/x").SendAsync(With(recorder))).IsLeft);

        var error = Err(await Get("/api/lists/x").SendAsync(With(Interpreter.Replay(path))));
        var api = Assert.IsType<KlaviyoError.Api>(error);
        Assert.Equal("not_found", api.Errors.Head.Code);
    }

    [Fact]
    public async Task A_dry_run_can_answer_from_a_fixture_and_falls_back_to_minimal_answers()
    {
        var path = _folder.File();
        var inner = new FunctionInterpreter(_ =>
            Json(200, """{"data":[{"type":"list","id":"L9"}]}""")
        );
        await using (var recorder = Interpreter.Record(inner, path, options: Options))
            Ok(await Get("/api/lists").SendAsync(With(recorder)));
        var writer = new StringWriter();
        var dryRun = Interpreter.DryRun(writer, responder: DryRunResponder.FromFixture(path));

        var known = Ok(await Get("/api/lists").SendAsync(With(dryRun)));
        var again = Ok(await Get("/api/lists").SendAsync(With(dryRun)));
        var unknown = Ok(await Get("/api/flows").SendAsync(With(dryRun)));

        JsonElement Data(KlaviyoResponse r) =>
            r.Json.Map(j => j.GetProperty("data")).IfNone(default(JsonElement));
        Assert.Equal("L9", Data(known)[0].GetProperty("id").GetString());
        Assert.Equal("L9", Data(again)[0].GetProperty("id").GetString());
        Assert.Equal(0, Data(unknown).GetArrayLength());
        Assert.Equal(1, inner.Calls);
        Assert.Equal(3, writer.ToString().Split("\n\n").Length);
    }
}
