using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Leaks;

/// <summary>
/// The leaks issue 10 measured, one test each: secrets found by structure, not by searching bytes, so a token
/// response that JSON readers disagree on, a body that does not parse, a webhook's <c>secret_key</c>, an error document
/// the CLI prints, a secret in a query and the printing of bodies all stay masked.
/// </summary>
public sealed class StructuredRedactionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Fresh(string tag) =>
        tag
        + "_"
        + RandomNumberGenerator.GetString(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            24
        );

    /// <summary>Sends <paramref name="operation"/> to a server answering <paramref name="answer"/>, recording; returns the saved fixture.</summary>
    private async Task<string> RecordAsync(
        RequestOperation operation,
        Func<HttpContext, ReceivedRequest, Task> answer,
        KlaviyoOptions? start = null,
        FixtureOptions? fixtureOptions = null
    )
    {
        await using var server = await LoopbackServer.StartAsync(answer);
        using var live = Interpreter.Live();
        var path = _folder.File();
        await using (var recorder = Interpreter.Record(live, path, RecordMode.All, fixtureOptions))
            await operation.SendAsync(server.Options(start) with { Client = recorder });
        Assert.Equal(1, server.Count);
        return File.ReadAllText(path);
    }

    private static Func<HttpContext, ReceivedRequest, Task> AnswerJson(
        string body,
        string contentType = "application/json",
        int status = 200
    ) =>
        async (ctx, _) =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = contentType;
            await ctx.Response.WriteAsync(body);
        };

    private static RequestOperation Refresh() =>
        OAuth2.RefreshToken("leak-client", Fresh("cs"), Fresh("rt_old"));

    // ---- token responses that a tree reader and a text search disagree on ----

    public static TheoryData<string> TokenShapes =>
        new()
        {
            "duplicate keys",
            "200 levels deep",
            "1500 levels deep",
            "escaped names",
            "escaped values",
            "duplicate key with an escaped name",
        };

    private static string TokenResponse(string shape, string access, string refresh) =>
        shape switch
        {
            "duplicate keys" =>
                $$"""{"access_token":"a","access_token":"{{access}}","refresh_token":"r","refresh_token":"{{refresh}}","token_type":"Bearer","expires_in":3600}""",
            "200 levels deep" => Nest(200, access, refresh),
            "1500 levels deep" => Nest(1500, access, refresh),
            "escaped names" =>
                $$"""{"access\u005ftoken":"{{access}}","refresh\u005Ftoken":"{{refresh}}","token_type":"Bearer"}""",
            "escaped values" =>
                $$"""{"access_token":"{{EscapeAll(access)}}","refresh_token":"{{EscapeAll(
                    refresh
                )}}","token_type":"Bearer"}""",
            "duplicate key with an escaped name" =>
                $$"""{"access_token":"a","access\u005ftoken":"{{access}}","refresh_token":"r","\u0072efresh_token":"{{refresh}}"}""",
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };

    private static string Nest(int depth, string access, string refresh) =>
        string.Concat(Enumerable.Repeat("{\"a\":", depth))
        + $$"""{"access_token":"{{access}}","refresh_token":"{{refresh}}"}"""
        + new string('}', depth);

    private static string EscapeAll(string s) => string.Concat(s.Select(c => $"\\u{(int)c:x4}"));

    [Theory]
    [MemberData(nameof(TokenShapes))]
    public async Task A_recorded_token_response_never_holds_the_new_tokens_in_clear(string shape)
    {
        var access = Fresh("at_new");
        var refresh = Fresh("rt_new");

        var fixture = await RecordAsync(
            Refresh(),
            AnswerJson(TokenResponse(shape, access, refresh))
        );

        Assert.Contains("/oauth/token", fixture);
        Assert.Contains(Secret.Mask, fixture);
        SecretForms.AssertAbsent(access, $"the fixture ({shape})", fixture);
        SecretForms.AssertAbsent(refresh, $"the fixture ({shape})", fixture);
    }

    public static TheoryData<string> BrokenJson =>
        new()
        {
            """{"access_token":"{0}","refresh_token":"{1}" """,
            """{"access_token": {0}, "refresh_token": {1}}""",
            """{'access_token':'{0}','refresh_token':'{1}'}""",
            """{"data":{"access_token":"{0}"},"refresh_token":"{1}",}""",
        };

    [Theory]
    [MemberData(nameof(BrokenJson))]
    public async Task A_body_that_claims_json_but_does_not_parse_and_names_a_secret_field_is_stored_masked(
        string template
    )
    {
        var access = Fresh("at_new");
        var refresh = Fresh("rt_new");
        var body = template.Replace("{0}", access).Replace("{1}", refresh);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));

        var fixture = await RecordAsync(Refresh(), AnswerJson(body));

        Assert.Contains(Secret.Mask, fixture);
        SecretForms.AssertAbsent(access, "the fixture", fixture);
        SecretForms.AssertAbsent(refresh, "the fixture", fixture);
    }

    // ---- a webhook's secret_key, a secret field the spec names ----

    private static RequestOperation CreateWebhook(string secretKey) => LeakCase.Webhook(secretKey);

    private static readonly KlaviyoOptions WithKey = new()
    {
        ApiKey = "pk_webhook_0123456789abcdef",
    };

    [Theory]
    [InlineData(DryRunFormat.Curl)]
    [InlineData(DryRunFormat.Http)]
    public async Task A_webhook_secret_key_is_masked_by_dry_run(DryRunFormat format)
    {
        var secretKey = Fresh("whsec");
        var printed = new StringWriter();

        Ok(
            await CreateWebhook(secretKey)
                .SendAsync(WithKey with { Client = Interpreter.DryRun(printed, format) })
        );

        Assert.Contains("secret_key", printed.ToString());
        Assert.Contains(Secret.Mask, printed.ToString());
        SecretForms.AssertAbsent(secretKey, $"dry run ({format})", printed.ToString());
    }

    [Fact]
    public void A_webhook_secret_key_is_masked_when_the_request_is_printed()
    {
        var secretKey = Fresh("whsec");
        var request = Ok(CreateWebhook(secretKey).Build(WithKey));

        SecretForms.AssertAbsent(secretKey, "KlaviyoRequest.ToString()", request.ToString());
        SecretForms.AssertAbsent(secretKey, "ToCurl()", request.ToCurl());
        SecretForms.AssertAbsent(secretKey, "ToHttpMessage()", request.ToHttpMessage());
        SecretForms.AssertAbsent(secretKey, "Content.ToString()", request.Content.ToString());
        SecretForms.AssertAbsent(
            secretKey,
            "Redact().Content",
            Encoding.UTF8.GetString(request.Redact().Content.ToBytes().Span)
        );
        // It is still sent as it is.
        Assert.Contains(secretKey, Encoding.UTF8.GetString(request.Content.ToBytes().Span));
    }

    [Fact]
    public async Task A_webhook_secret_key_is_masked_in_the_recorded_fixture_on_both_sides()
    {
        var secretKey = Fresh("whsec");
        // The server answers with the webhook it created, secret_key included.
        var fixture = await RecordAsync(
            CreateWebhook(secretKey),
            async (ctx, received) =>
            {
                var sent = JsonNode.Parse(received.BodyText)!;
                Assert.Equal(secretKey, (string?)sent["data"]!["attributes"]!["secret_key"]);
                ctx.Response.StatusCode = 201;
                ctx.Response.ContentType = "application/vnd.api+json";
                var answer = new JsonObject
                {
                    ["data"] = new JsonObject
                    {
                        ["type"] = "webhook",
                        ["id"] = "01WEBHOOK",
                        ["attributes"] = sent["data"]!["attributes"]!.DeepClone(),
                    },
                };
                await ctx.Response.WriteAsync(answer.ToJsonString());
            },
            WithKey
        );

        Assert.Contains("01WEBHOOK", fixture);
        Assert.Contains("\"secret_key\": \"[REDACTED]\"", fixture);
        SecretForms.AssertAbsent(secretKey, "the fixture", fixture);
    }

    [Fact]
    public async Task A_webhook_secret_key_never_reaches_the_logging_wrapper()
    {
        var secretKey = Fresh("whsec");
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(201, """{"data":{"type":"webhook","id":"01WEBHOOK"}}""")
        );
        var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b =>
            b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)
        );
        var logger = factory.CreateLogger("leak");
        var options = server.Options(WithKey) with
        {
            ClientOptions = new ClientOptions
            {
                Wrappers = Seq1<Func<IInterpreter, IInterpreter>>(inner => new Logging(
                    inner,
                    logger
                )),
            },
        };

        Ok(await CreateWebhook(secretKey).SendAsync(options));

        Assert.Contains(logs.Lines, l => l.Contains("Klaviyo request POST"));
        foreach (var line in logs.Lines)
            SecretForms.AssertAbsent(secretKey, "a log line", line);
        Assert.Contains(secretKey, Assert.Single(server.Received).BodyText);
    }

    /// <summary>Answers 4xx with a JSON:API error whose detail is <paramref name="detail"/> of the request.</summary>
    private static Func<HttpContext, ReceivedRequest, Task> AnswerError(
        int status,
        Func<ReceivedRequest, string> detail
    ) =>
        async (ctx, received) =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/vnd.api+json";
            await ctx.Response.WriteAsync(
                JsonSerializer.Serialize(
                    new { errors = new[] { new { code = "invalid", detail = detail(received) } } }
                )
            );
        };

    // ---- operations and bodies printed ----

    [Fact]
    public void RequestOperation_ToString_masks_a_declared_secret_in_the_query_and_the_path()
    {
        var state = Fresh("state") + " &=+%/?";
        var op = PathTemplate.Operation(HttpMethod.Get, "/api/things/{id}", state) with
        {
            Query = Seq(("state", state), ("page[size]", "5")),
            Secrets = Seq1(Secret.Of(state)),
        };

        var printed = op.ToString();

        Assert.StartsWith("GET /api/things/", printed);
        Assert.Contains("page[size]=5", printed);
        SecretForms.AssertAbsent(state, "RequestOperation.ToString()", printed);
    }

    [Theory]
    [InlineData("refresh_token")]
    [InlineData("access_token")]
    [InlineData("client_secret")]
    [InlineData("code_verifier")]
    [InlineData("REFRESH_TOKEN")]
    public void RequestOperation_ToString_masks_a_query_parameter_named_as_a_secret(string name)
    {
        var token = Fresh("rt");
        var op = new RequestOperation(HttpMethod.Get, "/oauth/things").WithQuery(name, token);

        var printed = op.ToString();

        Assert.Contains($"{name}={Secret.Mask}", printed);
        SecretForms.AssertAbsent(token, "RequestOperation.ToString()", printed);
    }

    [Fact]
    public void The_body_of_a_refresh_token_operation_prints_masked()
    {
        var refresh = Fresh("rt") + "+/==";
        var op = OAuth2.RefreshToken("leak-client", Fresh("cs"), refresh);

        var printed = op.Body.ToString();

        Assert.Contains("grant_type=refresh_token", printed);
        SecretForms.AssertAbsent(refresh, "OAuth2.RefreshToken(..).Body.ToString()", printed);
        SecretForms.AssertAbsent(refresh, "RequestOperation.ToString()", op.ToString());
    }

    [Fact]
    public void The_body_of_a_revoke_token_operation_prints_masked()
    {
        var token = Fresh("rt") + "+/==";
        var op = OAuth2.RevokeToken("leak-client", Fresh("cs"), token, "refresh_token");

        var printed = op.Body.ToString();

        Assert.Contains("token_type_hint=refresh_token", printed);
        SecretForms.AssertAbsent(token, "OAuth2.RevokeToken(..).Body.ToString()", printed);
    }

    [Fact]
    public async Task A_webhook_secret_key_the_server_quotes_in_an_error_is_not_in_the_message()
    {
        var secretKey = Fresh("whsec");
        await using var server = await LoopbackServer.StartAsync(
            AnswerError(
                400,
                received =>
                    $"'{JsonNode.Parse(received.BodyText)!["data"]!["attributes"]!["secret_key"]}' is not a valid secret key"
            )
        );

        var error = Err(await CreateWebhook(secretKey).SendAsync(server.Options(WithKey)));

        Assert.Contains("is not a valid secret key", error.Message);
        SecretForms.AssertAbsent(secretKey, "the error message", error.Message);
        SecretForms.AssertAbsent(secretKey, "the error", error.ToString());
    }

    [Fact]
    public async Task A_header_the_fixture_filters_is_not_recorded_when_the_server_quotes_it()
    {
        var shopToken = Fresh("shop");
        var fixture = await RecordAsync(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            AnswerError(401, received => $"unknown shop token {received.Header("x-shop-token")}"),
            WithKey with
            {
                Headers = Seq1(("x-shop-token", shopToken)),
            },
            new FixtureOptions { FilterHeaders = Seq1("x-shop-token") }
        );

        Assert.Contains("unknown shop token", fixture);
        SecretForms.AssertAbsent(shopToken, "the fixture", fixture);
    }

    [Fact]
    public void Scrubbing_text_that_quotes_a_json_body_masks_the_escaped_secret()
    {
        var value = Fresh("whsec") + "+\"é/";
        var request = Ok(
            Webhooks
                .CreateWebhook(
                    new
                    {
                        data = new
                        {
                            type = "webhook",
                            attributes = new { secret_key = Secret.Of(value) },
                        },
                    }
                )
                .WithoutBodyCheck() // a partial body on purpose: only the secret matters here
                .Build(WithKey)
        );
        var wire = Encoding.UTF8.GetString(request.Content.ToBytes().Span);
        Assert.Contains(JsonSerializer.Serialize(value)[1..^1], wire);

        var scrubbed = request.Scrub($"invalid body: {wire}");

        SecretForms.AssertAbsent(value, "KlaviyoRequest.Scrub of text quoting the body", scrubbed);
    }

    [Fact]
    public void A_json_body_with_a_password_prints_masked_at_any_depth()
    {
        var password = Fresh("pw") + "\"\\</script>";
        var body = RequestBody.Json(
            new
            {
                password,
                user = new { name = "ada", password },
                items = new[] { new { api_key = password } },
            }
        );

        var printed = body.ToString();

        Assert.Contains("ada", printed);
        Assert.Contains("\"password\":\"[REDACTED]\"", printed);
        SecretForms.AssertAbsent(password, "RequestBody.Json(..).ToString()", printed);
    }

    [Fact]
    public void Form_and_multipart_bodies_print_their_secret_fields_masked()
    {
        var secret = Fresh("cs");
        var form = RequestBody.Form(Seq(("client_secret", secret), ("scope", "read")));
        var multipart = RequestBody.Multipart(
            Seq(MultipartPart.Text("password", secret), MultipartPart.Text("name", "ada"))
        );

        Assert.Contains("scope=read", form.ToString());
        Assert.Contains("name=ada", multipart.ToString());
        SecretForms.AssertAbsent(secret, "form body", form.ToString());
        SecretForms.AssertAbsent(secret, "multipart body", multipart.ToString());
    }

    // ---- the Secret type ----

    private sealed record Holder(string Name, Secret Key);

    [Fact]
    public void A_secret_prints_as_the_mask_everywhere()
    {
        var value = Fresh("pk");
        var secret = Secret.Of(value);

        Assert.Equal("[REDACTED]", secret.ToString());
        Assert.Equal("[REDACTED]", $"{secret}");
        Assert.Equal("\"[REDACTED]\"", JsonSerializer.Serialize(secret));
        var holder = new Holder("ada", secret);
        Assert.Equal("Holder { Name = ada, Key = [REDACTED] }", holder.ToString());
        Assert.Equal("""{"Name":"ada","Key":"[REDACTED]"}""", JsonSerializer.Serialize(holder));
        Assert.Equal(
            """{"Key":"[REDACTED]"}""",
            JsonSerializer.Serialize(new Dictionary<string, Secret> { ["Key"] = secret })
        );
    }

    [Fact]
    public void The_debugger_shows_a_secret_as_the_mask()
    {
        var display = Assert.Single(
            typeof(Secret).GetCustomAttributes(typeof(DebuggerDisplayAttribute), inherit: false)
        );

        // A literal, with no {member} the debugger would evaluate.
        Assert.Equal("[REDACTED]", ((DebuggerDisplayAttribute)display).Value);
        Assert.DoesNotContain(
            typeof(Secret).GetCustomAttributes(typeof(DebuggerTypeProxyAttribute), false),
            _ => true
        );
    }

    [Fact]
    public void Reveal_gives_the_value_and_equality_compares_values()
    {
        var value = Fresh("pk");
        var secret = Secret.Of(value);

        Assert.Equal(value, secret.Reveal());
        Assert.Equal(value.Length, secret.Length);
        Assert.Equal(Secret.Of(value), secret);
        Assert.True(Secret.Of(value).Equals((object)secret));
        Assert.Equal(Secret.Of(value).GetHashCode(), secret.GetHashCode());
        Assert.NotEqual(Secret.Of(value + "x"), secret);
        Assert.NotEqual(Secret.Of(value.ToUpperInvariant()), secret);
        Assert.False(secret.Equals(null));
        Assert.DoesNotContain(value, secret.Fingerprint());
    }

    [Fact]
    public void A_null_or_empty_string_converts_to_no_secret()
    {
        Secret? fromNull = (string?)null;
        Secret? fromEmpty = "";
        Secret? fromValue = "pk_x";

        Assert.Null(fromNull);
        Assert.Null(fromEmpty);
        Assert.Null(Secret.OrNull(null));
        Assert.Equal("pk_x", fromValue!.Reveal());
        Assert.Throws<ArgumentNullException>(() => Secret.Of(null!));
        Assert.Null(JsonSerializer.Deserialize<Secret>("null"));
        Assert.Equal("abc", JsonSerializer.Deserialize<Secret>("\"abc\"")!.Reveal());
    }

    [Fact]
    public void A_secret_that_contains_another_is_masked_whole_whichever_comes_first()
    {
        var inner = Fresh("in");
        var outer = "head-" + inner + "-tail";
        var text = $"quoted: {outer}.";

        foreach (var order in new[] { Seq(inner, outer), Seq(outer, inner) })
        {
            var scrubbed = Redaction.Scrub(text, order);
            Assert.Equal($"quoted: {Secret.Mask}.", scrubbed);
        }
    }

    [Fact]
    public void A_push_token_in_a_response_is_data_but_in_a_request_body_a_secret()
    {
        var token = Fresh("push");
        var body = Encoding.UTF8.GetBytes(
            $"{{\"data\":{{\"type\":\"push-token\",\"attributes\":{{\"token\":\"{token}\"}}}}}}"
        );
        var response = new RawResponse(
            200,
            Seq1(("content-type", "application/vnd.api+json")),
            body
        ).Redact(Seq<Secret>());
        Assert.Contains(token, Encoding.UTF8.GetString(response.Body.Span));

        var request = new RequestOperation(HttpMethod.Post, "/api/push-tokens")
        {
            Body = RequestBody.Json(
                new { data = new { type = "push-token", attributes = new { token } } }
            ),
        };
        Assert.DoesNotContain(token, request.ToString());
        Assert.DoesNotContain(token, request.Body.ToString());
        var built = Ok(request.Build(WithKey));
        Assert.Contains(built.Secrets, s => s.Reveal() == token);
        Assert.Equal($"echo {Secret.Mask}", built.Scrub($"echo {token}"));
    }
}
