using System.Text;
using System.Text.Json;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.DryRun;

public class DryRunTests
{
    private const string ApiKey = "pk_live_DRYRUNKEY_8c1f2e";
    private const string Revision = "2024-10-15";

    private static readonly KlaviyoOptions Options = new() { ApiKey = ApiKey, Revision = Revision };

    private static readonly string UserAgent = RequestHeaders.UserAgent;

    private static KlaviyoRequest Build(RequestOperation op, KlaviyoOptions? options = null) =>
        RequestBuilder
            .Build(op, options ?? Options)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    private static readonly RequestOperation GetWithQuery = new(HttpMethod.Get, "/api/profiles")
    {
        Query = Seq(("page[size]", "2"), ("filter", "equals(email,'a@b.com')")),
    };

    private static readonly RequestOperation PostWithJson = new RequestOperation(
        HttpMethod.Post,
        "/api/profiles"
    ).WithBody(
        RequestBody.Json(
            new
            {
                data = new
                {
                    type = "profile",
                    attributes = new { email = "ann@example.com", first_name = "Ann" },
                },
            }
        )
    );

    private static string DryRunOutput(DryRunFormat format, params RequestOperation[] ops)
    {
        var writer = new StringWriter();
        var options = Options with { Client = Interpreter.DryRun(writer, format) };
        foreach (var op in ops)
        {
            var result = op.SendAsync(options).GetAwaiter().GetResult();
            Assert.True(result.IsRight, result.ToString());
        }
        return writer.ToString();
    }

    [Fact]
    public void Prints_a_GET_with_query_as_an_exact_curl_command_with_the_key_masked()
    {
        var output = DryRunOutput(DryRunFormat.Curl, GetWithQuery);

        Assert.Equal(
            "curl --request 'GET' \\\n"
                + "  --url 'https://a.klaviyo.com/api/profiles?page%5Bsize%5D=2&filter=equals%28email%2C%27a%40b.com%27%29' \\\n"
                + $"  --header 'revision: {Revision}' \\\n"
                + "  --header \"authorization: Klaviyo-API-Key $KLAVIYO_API_KEY\" \\\n"
                + "  --header 'accept: application/vnd.api+json' \\\n"
                + $"  --header 'user-agent: {UserAgent}'\n",
            output
        );
    }

    [Fact]
    public void Prints_a_POST_with_a_JSON_body_as_an_exact_curl_command_with_the_body_pretty_printed()
    {
        var output = DryRunOutput(DryRunFormat.Curl, PostWithJson);

        Assert.Equal(
            "curl --request 'POST' \\\n"
                + "  --url 'https://a.klaviyo.com/api/profiles' \\\n"
                + "  --header 'content-type: application/vnd.api+json' \\\n"
                + $"  --header 'revision: {Revision}' \\\n"
                + "  --header \"authorization: Klaviyo-API-Key $KLAVIYO_API_KEY\" \\\n"
                + "  --header 'accept: application/vnd.api+json' \\\n"
                + $"  --header 'user-agent: {UserAgent}' \\\n"
                + "  --data-raw '{\n"
                + "  \"data\": {\n"
                + "    \"type\": \"profile\",\n"
                + "    \"attributes\": {\n"
                + "      \"email\": \"ann@example.com\",\n"
                + "      \"first_name\": \"Ann\"\n"
                + "    }\n"
                + "  }\n"
                + "}'\n",
            output
        );
    }

    [Fact]
    public void Prints_a_GET_with_query_as_an_exact_HTTP_message()
    {
        var output = DryRunOutput(DryRunFormat.Http, GetWithQuery);

        Assert.Equal(
            "GET /api/profiles?page%5Bsize%5D=2&filter=equals%28email%2C%27a%40b.com%27%29 HTTP/1.1\n"
                + "host: a.klaviyo.com\n"
                + $"revision: {Revision}\n"
                + "authorization: Klaviyo-API-Key [REDACTED]\n"
                + "accept: application/vnd.api+json\n"
                + $"user-agent: {UserAgent}\n",
            output
        );
    }

    [Fact]
    public void Prints_a_POST_with_a_JSON_body_as_an_exact_HTTP_message()
    {
        var output = DryRunOutput(DryRunFormat.Http, PostWithJson);

        Assert.Equal(
            "POST /api/profiles HTTP/1.1\n"
                + "host: a.klaviyo.com\n"
                + "content-type: application/vnd.api+json\n"
                + $"revision: {Revision}\n"
                + "authorization: Klaviyo-API-Key [REDACTED]\n"
                + "accept: application/vnd.api+json\n"
                + $"user-agent: {UserAgent}\n"
                + "\n"
                + "{\n"
                + "  \"data\": {\n"
                + "    \"type\": \"profile\",\n"
                + "    \"attributes\": {\n"
                + "      \"email\": \"ann@example.com\",\n"
                + "      \"first_name\": \"Ann\"\n"
                + "    }\n"
                + "  }\n"
                + "}\n",
            output
        );
    }

    [Fact]
    public void Separates_requests_by_exactly_one_blank_line()
    {
        var get = Build(GetWithQuery);
        var post = Build(PostWithJson);

        var output = DryRunOutput(DryRunFormat.Curl, GetWithQuery, PostWithJson);

        Assert.Equal(get.ToCurl() + "\n\n" + post.ToCurl() + "\n", output);
    }

    [Fact]
    public void Quotes_every_argument_so_a_single_quote_survives_the_shell()
    {
        var op = GetWithQuery.WithHeader("x-note", "it's $HOME `id`");

        var curl = Build(op).ToCurl();

        Assert.Contains("  --header 'x-note: it'\\''s $HOME `id`' \\\n", curl);
    }

    [Fact]
    public void Masks_a_bearer_token_keeping_the_scheme()
    {
        var request = Build(
            GetWithQuery,
            new KlaviyoOptions { AccessToken = "tok_ACCESS_51f0aa9" }
        );

        var curl = request.ToCurl();
        var http = request.ToHttpMessage();

        Assert.Contains("--header \"authorization: Bearer $KLAVIYO_ACCESS_TOKEN\"", curl);
        Assert.Contains("authorization: Bearer [REDACTED]\n", http);
        Assert.DoesNotContain("tok_ACCESS_51f0aa9", curl + http);
    }

    [Fact]
    public void Masks_basic_credentials_keeping_the_scheme()
    {
        var op = new RequestOperation(HttpMethod.Post, "/oauth/token").WithHeader(
            "authorization",
            "Basic Y2xpZW50OnNlY3JldA=="
        );

        var curl = Build(op, new KlaviyoOptions()).ToCurl();

        Assert.Contains("--header 'authorization: Basic [REDACTED]'", curl);
        Assert.DoesNotContain("Y2xpZW50OnNlY3JldA==", curl);
    }

    [Fact]
    public void Shows_form_fields_decoded_with_OAuth_secrets_masked()
    {
        var op = new RequestOperation(HttpMethod.Post, "/oauth/token")
        {
            SendCredentials = false,
            Body = RequestBody.Form(
                Seq(
                    ("grant_type", "refresh_token"),
                    ("refresh_token", "rt_REFRESH_77aa01"),
                    ("client_id", "my app"),
                    ("client_secret", "cs_SECRET_99bd02")
                )
            ),
        };
        var request = Build(op);

        var curl = request.ToCurl();
        var http = request.ToHttpMessage();

        Assert.EndsWith(
            "  --data-urlencode 'grant_type=refresh_token' \\\n"
                + "  --data-urlencode 'refresh_token=[REDACTED]' \\\n"
                + "  --data-urlencode 'client_id=my app' \\\n"
                + "  --data-urlencode 'client_secret=[REDACTED]'",
            curl
        );
        Assert.EndsWith(
            "\n\ngrant_type=refresh_token&refresh_token=%5BREDACTED%5D&client_id=my%20app&client_secret=%5BREDACTED%5D",
            http
        );
        Assert.DoesNotContain("rt_REFRESH_77aa01", curl + http);
        Assert.DoesNotContain("cs_SECRET_99bd02", curl + http);
    }

    [Fact]
    public void Scrubs_an_operations_secrets_wherever_they_appear()
    {
        const string secret = "opsecret_4c3d2e1f";
        var op = new RequestOperation(HttpMethod.Post, $"/api/things/{secret}")
        {
            Query = Seq1(("token", secret)),
            Body = RequestBody.Json(new { note = $"carries {secret} inside" }),
            Secrets = Seq1(Secret.Of(secret)),
        }.WithHeader("x-echo", secret);

        var request = Build(op);
        var text = request.ToCurl() + request.ToHttpMessage();

        Assert.DoesNotContain(secret, text);
        Assert.Contains("/api/things/%5BREDACTED%5D?token=%5BREDACTED%5D", text);
        Assert.Contains("\"note\": \"carries [REDACTED] inside\"", text);
        Assert.Contains("x-echo: [REDACTED]", text);
    }

    [Fact]
    public void Masks_secret_JSON_fields_at_any_depth_whatever_their_type()
    {
        var op = new RequestOperation(HttpMethod.Post, "/api/things").WithBody(
            RequestBody.Json(
                new
                {
                    data = new
                    {
                        attributes = new
                        {
                            password = "hunter2-pass",
                            nested = new[] { new { code_verifier = "verifier-abc-123" } },
                            api_key = 12345678,
                            kept = "visible",
                        },
                    },
                }
            )
        );

        var curl = Build(op).ToCurl();

        Assert.Contains("\"password\": \"[REDACTED]\"", curl);
        Assert.Contains("\"code_verifier\": \"[REDACTED]\"", curl);
        Assert.Contains("\"api_key\": \"[REDACTED]\"", curl);
        Assert.Contains("\"kept\": \"visible\"", curl);
        Assert.DoesNotContain("hunter2-pass", curl);
        Assert.DoesNotContain("verifier-abc-123", curl);
        Assert.DoesNotContain("12345678", curl);
    }

    [Fact]
    public void Masks_secret_multipart_text_fields()
    {
        var op = new RequestOperation(HttpMethod.Post, "/api/upload")
        {
            Body = RequestBody.Multipart(
                Seq(
                    MultipartPart.Text("client_secret", "cs-multipart-999"),
                    MultipartPart.Text("title", "hello")
                )
            ),
        };

        var request = Build(op);
        var text = request.ToCurl() + request.ToHttpMessage();

        Assert.Contains("--form-string 'client_secret=[REDACTED]'", text);
        Assert.Contains("--form-string 'title=hello'", text);
        Assert.DoesNotContain("cs-multipart-999", text);
    }

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        var op = PostWithJson.WithQuery("token", "opsecret_abcdef") with
        {
            Secrets = Seq1(Secret.Of("opsecret_abcdef")),
        };
        var once = Build(op).Redact();

        Assert.Equal(once, once.Redact());
        Assert.Empty(once.Secrets);
    }

    [Fact]
    public void Summarises_multipart_bodies_without_the_file_bytes()
    {
        var op = new RequestOperation(HttpMethod.Post, "/api/image-upload")
        {
            Body = RequestBody.Multipart(
                Seq(
                    MultipartPart.Text("name", "logo"),
                    MultipartPart.File(
                        "file",
                        "logo.png",
                        "image/png",
                        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0xFF }
                    )
                )
            ),
        };
        var request = Build(op);

        var curl = request.ToCurl();
        var http = request.ToHttpMessage();

        Assert.DoesNotContain("content-type: multipart", curl);
        Assert.EndsWith(
            "  --form-string 'name=logo' \\\n  --form 'file=@\"logo.png\";type=image/png'",
            curl
        );
        Assert.Contains("Content-Disposition: form-data; name=\"name\"\n\nlogo\n", http);
        Assert.Contains(
            "Content-Disposition: form-data; name=\"file\"; filename=\"logo.png\"\nContent-Type: image/png\n\n[5 bytes]\n",
            http
        );
    }

    [Fact]
    public async Task Sends_nothing_to_the_server_it_points_at()
    {
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(500));
        var writer = new StringWriter();
        var options = server.Options(Options) with { Client = Interpreter.DryRun(writer) };

        var get = await GetWithQuery.SendAsync(options);
        var post = await PostWithJson.SendAsync(options);

        Assert.True(get.IsRight);
        Assert.True(post.IsRight);
        Assert.Empty(server.Received);
        Assert.Contains($"--url 'http://127.0.0.1:{server.Port}/api/profiles?", writer.ToString());
    }

    [Fact]
    public async Task Answers_a_program_of_several_steps_with_plausible_documents()
    {
        var writer = new StringWriter();
        var options = Options with { Client = Interpreter.DryRun(writer) };

        var list = Ok(await GetWithQuery.SendAsync(options));
        var created = Ok(await PostWithJson.SendAsync(options));
        var createdId = Data(created).GetProperty("id").GetString()!;
        var fetched = Ok(
            await PathTemplate
                .Operation(HttpMethod.Get, "/api/profiles/{id}", createdId)
                .SendAsync(options)
        );
        var deleted = Ok(
            await PathTemplate
                .Operation(HttpMethod.Delete, "/api/profiles/{id}", createdId)
                .SendAsync(options)
        );

        Assert.Equal(200, list.StatusCode);
        Assert.Equal(JsonValueKind.Array, Data(list).ValueKind);
        Assert.Equal(0, Data(list).GetArrayLength());
        var links = list.Json.Map(j => j.GetProperty("links")).IfNone(default(JsonElement));
        Assert.Equal(JsonValueKind.Null, links.GetProperty("next").ValueKind);
        Assert.Equal(201, created.StatusCode);
        Assert.Equal("profile", Data(created).GetProperty("type").GetString());
        Assert.Equal("dry-run-1", createdId);
        Assert.Equal(200, fetched.StatusCode);
        Assert.Equal("profile", Data(fetched).GetProperty("type").GetString());
        Assert.Equal(createdId, Data(fetched).GetProperty("id").GetString());
        Assert.Equal(204, deleted.StatusCode);
        Assert.IsType<ResponseBody.Empty>(deleted.Body);
    }

    [Fact]
    public async Task Takes_the_type_of_a_related_resource_from_the_path()
    {
        var options = Options with { Client = Interpreter.DryRun(TextWriter.Null) };

        var related = Ok(
            await PathTemplate
                .Operation(HttpMethod.Get, "/api/lists/{id}/relationships/profiles", "L1")
                .SendAsync(options)
        );
        var category = Ok(
            await PathTemplate
                .Operation(HttpMethod.Get, "/api/catalog-categories/{id}", "C1")
                .SendAsync(options)
        );

        Assert.Equal(JsonValueKind.Array, Data(related).ValueKind);
        Assert.Equal("catalog-category", Data(category).GetProperty("type").GetString());
        Assert.Equal("C1", Data(category).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Answers_with_a_user_function_when_given_one()
    {
        var seen = new List<string>();
        var responder = DryRunResponder.From(r =>
        {
            seen.Add(r.Url);
            return new RawResponse(
                202,
                Seq1(("content-type", "application/json")),
                Encoding.UTF8.GetBytes("{\"ok\":true}")
            );
        });
        var options = Options with
        {
            Client = Interpreter.DryRun(TextWriter.Null, responder: responder),
        };

        var response = Ok(await GetWithQuery.SendAsync(options));

        Assert.Equal(202, response.StatusCode);
        Assert.True(response.Json.Map(j => j.GetProperty("ok").GetBoolean()).IfNone(false));
        Assert.Single(seen);
    }

    [Fact]
    public async Task Writes_each_request_whole_when_used_from_many_tasks()
    {
        var writer = new StringWriter();
        var options = Options with { Client = Interpreter.DryRun(writer) };
        var one = Build(GetWithQuery).ToCurl();

        await Task.WhenAll(
            Enumerable.Range(0, 32).Select(_ => Task.Run(() => GetWithQuery.SendAsync(options)))
        );

        var blocks = writer.ToString().TrimEnd('\n').Split("\n\n");
        Assert.Equal(32, blocks.Length);
        Assert.All(blocks, b => Assert.Equal(one, b));
    }

    private static JsonElement Data(KlaviyoResponse response) =>
        response
            .Json.Map(j => j.GetProperty("data"))
            .IfNone(() => throw new Xunit.Sdk.XunitException("no JSON body"));
}
