using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests;

public class RequestBuilderTests
{
    private static KlaviyoRequest Build(RequestOperation op, KlaviyoOptions? options = null) =>
        RequestBuilder
            .Build(op, options ?? new KlaviyoOptions { ApiKey = "pk_builder" })
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    private static KlaviyoError.Validation Invalid(RequestOperation op, KlaviyoOptions options) =>
        RequestBuilder
            .Build(op, options)
            .Match(
                r => throw new Xunit.Sdk.XunitException($"expected a validation error, built {r}"),
                e => Assert.IsType<KlaviyoError.Validation>(e)
            );

    [Fact]
    public void Url_is_protocol_host_port_base_path_operation_path_and_query()
    {
        var op = new RequestOperation(HttpMethod.Get, "/api/events")
        {
            Query = Seq(("filter", "equals(metric_id,\"abc\")"), ("page[cursor]", "a b+c&d=e")),
        };
        var options = new KlaviyoOptions
        {
            Protocol = "http",
            Host = "localhost",
            Port = 4000,
            Path = "/proxy/",
        };

        Assert.Equal(
            "http://localhost:4000/proxy/api/events?filter=equals%28metric_id%2C%22abc%22%29&page%5Bcursor%5D=a%20b%2Bc%26d%3De",
            Build(op, options).Url
        );
    }

    [Fact]
    public void Default_url_is_https_a_klaviyo_com_without_port()
    {
        Assert.Equal(
            "https://a.klaviyo.com/api/accounts",
            Build(new RequestOperation(HttpMethod.Get, "/api/accounts")).Url
        );
    }

    [Fact]
    public void Headers_come_in_the_original_order_with_their_values()
    {
        var op = new RequestOperation(HttpMethod.Post, "/api/profiles")
        {
            Headers = Seq1(("x-op", "operation")),
            Body = RequestBody.Json(new { data = new { type = "profile" } }),
        };
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_order",
            Headers = Seq1(("x-user", "user")),
            Revision = "2024-10-15",
        };

        var request = Build(op, options);
        var headers = request.Redact().Headers.ToList();

        Assert.Equal("Klaviyo-API-Key pk_order", request.Authorization?.Reveal());
        Assert.Equal(
            new (string, string)[]
            {
                ("x-user", "user"),
                ("x-op", "operation"),
                ("content-type", "application/vnd.api+json"),
                ("revision", "2024-10-15"),
                ("authorization", "Klaviyo-API-Key [REDACTED]"),
                ("accept", "application/vnd.api+json"),
                ("user-agent", RequestHeaders.UserAgent),
            },
            headers
        );
        Assert.StartsWith("klaviyo-dotnet/", RequestHeaders.UserAgent);
    }

    [Fact]
    public void Access_token_wins_over_api_key()
    {
        var request = Build(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            new KlaviyoOptions { ApiKey = "pk_loses", AccessToken = "tok_wins" }
        );
        Assert.Equal("Bearer tok_wins", (request.Authorization?.Reveal() ?? ""));
    }

    [Fact]
    public void An_authorization_header_already_present_is_kept()
    {
        var request = Build(
            new RequestOperation(HttpMethod.Get, "/api/accounts")
            {
                Headers = Seq1(("Authorization", "Custom x")),
            },
            new KlaviyoOptions { ApiKey = "pk_unused" }
        );
        Assert.Equal("Custom x", request.Authorization?.Reveal());
        Assert.DoesNotContain(request.Headers, h => h.Name.ToLower() == "authorization");
    }

    [Fact]
    public void Revision_defaults_to_the_catalog_revision_and_is_never_empty()
    {
        var noRevision = Build(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            new KlaviyoOptions { Revision = "" }
        );
        Assert.Equal(OperationCatalog.Revision, noRevision.Header("revision").IfNone(""));
        Assert.Equal("2026-07-15", OperationCatalog.Revision);

        var emptyHeader = Build(
            new RequestOperation(HttpMethod.Get, "/api/accounts")
            {
                Headers = Seq1(("revision", " ")),
            },
            new KlaviyoOptions()
        );
        Assert.Equal(
            Seq1(OperationCatalog.Revision),
            emptyHeader.Headers.Filter(h => h.Name == "revision").Map(h => h.Value)
        );
    }

    [Fact]
    public void No_credentials_means_no_authorization_header()
    {
        var request = Build(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            new KlaviyoOptions()
        );
        Assert.True(request.Authorization is null);
    }

    [Fact]
    public void Operations_that_do_not_send_credentials_drop_authorization_even_from_user_headers()
    {
        var request = Build(
            new RequestOperation(HttpMethod.Post, "/client/events") { SendCredentials = false },
            new KlaviyoOptions
            {
                ApiKey = "pk_private",
                Headers = Seq1(("authorization", "Klaviyo-API-Key pk_private")),
            }
        );
        Assert.True(request.Authorization is null);
    }

    public static TheoryData<string, object> JsonBodies()
    {
        var dictionary = new Dictionary<string, object>
        {
            ["first_name"] = "Ada",
            ["Email"] = "a@b.c",
        };
        var node = new JsonObject { ["first_name"] = "Ada", ["Email"] = "a@b.c" };
        var element = JsonDocument.Parse("""{"first_name":"Ada","Email":"a@b.c"}""").RootElement;
        return new TheoryData<string, object>
        {
            { "anonymous", new { first_name = "Ada", Email = "a@b.c" } },
            { "dictionary", dictionary },
            { "JsonNode", node },
            { "JsonElement", element },
        };
    }

    [Theory]
    [MemberData(nameof(JsonBodies))]
    public void Json_bodies_keep_property_names_exactly_as_written(string kind, object value)
    {
        var request = Build(
            new RequestOperation(HttpMethod.Post, "/api/profiles")
            {
                Body = RequestBody.Json(value),
            }
        );
        Assert.Equal(
            """{"first_name":"Ada","Email":"a@b.c"}""",
            System.Text.Encoding.UTF8.GetString(request.Content.ToBytes().Span)
        );
        Assert.True(kind.Length > 0);
    }

    [Fact]
    public void Form_bodies_are_url_encoded_with_their_content_type()
    {
        var request = Build(
            new RequestOperation(HttpMethod.Post, "/oauth/token")
            {
                Body = RequestBody.Form(Seq(("grant_type", "refresh_token"), ("scope", "a b&c"))),
            }
        );
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(
            "grant_type=refresh_token&scope=a%20b%26c",
            System.Text.Encoding.UTF8.GetString(request.Content.ToBytes().Span)
        );
    }

    [Fact]
    public void Multipart_bodies_carry_a_boundary_that_is_in_the_content_type()
    {
        var request = Build(
            new RequestOperation(HttpMethod.Post, "/api/image-upload")
            {
                Body = RequestBody.Multipart(
                    Seq(
                        MultipartPart.Text("name", "logo"),
                        MultipartPart.File("file", "a.png", "image/png", new byte[] { 1, 2, 3 })
                    )
                ),
            }
        );
        Assert.StartsWith("multipart/form-data; boundary=", request.ContentType);
        var boundary = request.ContentType!.Split("boundary=")[1];
        var text = System.Text.Encoding.Latin1.GetString(request.Content.ToBytes().Span);
        Assert.StartsWith($"--{boundary}\r\n", text);
        Assert.EndsWith($"--{boundary}--\r\n", text);
        Assert.Contains("filename=\"a.png\"", text);
    }

    [Fact]
    public void Each_path_parameter_is_exactly_one_encoded_segment()
    {
        var op = PathTemplate.Operation(
            HttpMethod.Get,
            "/api/lists/{id}/relationships/{rel}",
            "a/b?c#d",
            "x y"
        );
        Assert.Equal("/api/lists/a%2Fb%3Fc%23d/relationships/x%20y", op.Path);
        Assert.True(op.Problems.IsEmpty);
    }

    [Theory]
    [InlineData(null, "is null")]
    [InlineData("", "is empty")]
    [InlineData("..", "would leave its path segment")]
    [InlineData(".", "would leave its path segment")]
    public void A_bad_path_parameter_is_a_validation_error_naming_it(string? id, string why)
    {
        var op = PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", id);
        var error = Invalid(op, new KlaviyoOptions());
        Assert.Contains("path parameter 'id'", error.Message);
        Assert.Contains(why, error.Message);
        Assert.Equal(0, error.Attempts);
    }

    [Theory]
    [InlineData("x-bad\r\nx-injected", "ok")]
    [InlineData("x-bad", "value\r\nx-injected: 1")]
    [InlineData("x-bad", "value\nx")]
    public void CR_or_LF_in_any_header_is_a_validation_error(string name, string value)
    {
        var error = Invalid(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            new KlaviyoOptions { Headers = Seq1((name, value)) }
        );
        Assert.Contains("header", error.Message);
    }

    [Fact]
    public void CR_or_LF_in_the_api_key_is_an_error_that_does_not_echo_the_key()
    {
        var error = Invalid(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            new KlaviyoOptions { ApiKey = "pk_secret_line\r\nx-evil: 1" }
        );
        Assert.Contains("authorization", error.Message);
        Assert.DoesNotContain("pk_secret_line", error.Message);
    }

    [Theory]
    [InlineData("https://a.klaviyo.com", "must not include a scheme")]
    [InlineData("a.klaviyo.com/api", "must not contain '/'")]
    [InlineData("a klaviyo.com", "whitespace")]
    [InlineData("", "host is empty")]
    public void A_bad_host_is_a_validation_error(string host, string why)
    {
        var error = Invalid(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            new KlaviyoOptions { Host = host }
        );
        Assert.Contains(why, error.Message);
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("ws")]
    [InlineData("")]
    public void A_protocol_other_than_http_or_https_is_a_validation_error(string protocol)
    {
        var error = Invalid(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            new KlaviyoOptions { Protocol = protocol }
        );
        Assert.Contains("protocol must be 'https' or 'http'", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void A_port_outside_1_to_65535_is_a_validation_error(int port)
    {
        var error = Invalid(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            new KlaviyoOptions { Port = port }
        );
        Assert.Contains("port must be within 1–65535", error.Message);
    }

    [Fact]
    public void Credentials_over_plain_http_to_a_remote_host_are_refused_unless_allowed()
    {
        var op = new RequestOperation(HttpMethod.Get, "/api/accounts");
        var remote = new KlaviyoOptions
        {
            ApiKey = "pk_plain",
            Protocol = "http",
            Host = "example.com",
        };

        var error = Invalid(op, remote);
        Assert.Contains("refusing to send credentials over plain http", error.Message);
        Assert.DoesNotContain("pk_plain", error.ToString());

        Assert.True(
            RequestBuilder
                .Build(
                    op,
                    remote with
                    {
                        ClientOptions = new ClientOptions { AllowInsecureCredentials = true },
                    }
                )
                .IsRight
        );
        Assert.True(RequestBuilder.Build(op, remote with { Host = "127.0.0.1" }).IsRight);
        Assert.True(RequestBuilder.Build(op, remote with { Host = "localhost" }).IsRight);
        Assert.True(RequestBuilder.Build(op, remote with { ApiKey = null }).IsRight);
    }

    [Fact]
    public void An_IPv6_host_is_bracketed()
    {
        Assert.Equal(
            "http://[::1]:8080/api/accounts",
            Build(
                new RequestOperation(HttpMethod.Get, "/api/accounts"),
                new KlaviyoOptions
                {
                    Protocol = "http",
                    Host = "::1",
                    Port = 8080,
                }
            ).Url
        );
    }

    [Fact]
    public void Options_ToString_never_shows_the_api_key_or_access_token()
    {
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_tostring_secret",
            AccessToken = "at_tostring_secret",
            Headers = Seq1(("authorization", "Bearer hdr_tostring_secret")),
        };
        var text = options.ToString();
        Assert.DoesNotContain("pk_tostring_secret", text);
        Assert.DoesNotContain("at_tostring_secret", text);
        Assert.DoesNotContain("hdr_tostring_secret", text);
        Assert.Contains("ApiKey = [REDACTED]", text);
        Assert.Contains("Host = a.klaviyo.com", text);
    }

    [Fact]
    public void Request_ToString_masks_the_authorization_credential()
    {
        var request = Build(
            new RequestOperation(HttpMethod.Get, "/api/accounts"),
            new KlaviyoOptions { ApiKey = "pk_req_secret" }
        );
        Assert.DoesNotContain("pk_req_secret", request.ToString());
        Assert.Contains("Klaviyo-API-Key [REDACTED]", request.ToString());
    }

    [Fact]
    public void Operations_have_value_equality()
    {
        RequestOperation Make() =>
            new(HttpMethod.Get, "/api/lists")
            {
                Query = Seq(("a", "1"), ("a", "2")),
                Body = RequestBody.Form(Seq1(("x", "y"))),
                Headers = Seq1(("h", "v")),
            };
        Assert.Equal(Make(), Make());
        Assert.NotEqual(Make(), Make() with { Query = Seq(("a", "2"), ("a", "1")) });
        Assert.NotEqual(Make(), Make() with { Method = HttpMethod.Post });
    }
}
