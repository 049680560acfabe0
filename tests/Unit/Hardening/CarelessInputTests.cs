using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Hardening;

/// <summary>
/// A careless user's input is a validation error before anything is sent (issue 11, items 4, 13–17): never an
/// exception from deep inside the runtime, never a retried transport failure, never a request other than the one
/// printed.
/// </summary>
public class CarelessInputTests
{
    private static readonly RequestOperation Lists = new(HttpMethod.Get, "/api/lists");

    private static (KlaviyoOptions Options, StubInterpreter Stub) Stubbed(KlaviyoOptions start)
    {
        var stub = Interpreter.Stub(_ => StubResponse.Status(200, """{"data":[]}"""));
        return (start with { Client = stub }, stub);
    }

    private static KlaviyoError.Validation Invalid(Either<KlaviyoError, KlaviyoResponse> result) =>
        Assert.IsType<KlaviyoError.Validation>(
            result.Match(r => throw new Xunit.Sdk.XunitException($"sent: {r}"), e => e)
        );

    public static TheoryData<string, KlaviyoOptions> HugeWaits =>
        new()
        {
            {
                "RetryIn",
                new KlaviyoOptions
                {
                    Retry = Retry.Linear,
                    RetryOptions = new RetryOptions { RetryIn = TimeSpan.FromDays(60) },
                }
            },
            {
                "MaxRetryAfter",
                new KlaviyoOptions
                {
                    Retry = Retry.Linear,
                    RetryOptions = new RetryOptions { MaxRetryAfter = TimeSpan.MaxValue },
                }
            },
            {
                "BaseDelay",
                new KlaviyoOptions
                {
                    Retry = Retry.Exponential,
                    RetryOptions = new RetryOptions { BaseDelay = TimeSpan.FromDays(100) },
                }
            },
            {
                "MaxDelay",
                new KlaviyoOptions
                {
                    Retry = Retry.Exponential,
                    RetryOptions = new RetryOptions { MaxDelay = TimeSpan.FromDays(100) },
                }
            },
            {
                "ClientOptions.Timeout",
                new KlaviyoOptions
                {
                    ClientOptions = new ClientOptions { Timeout = TimeSpan.FromDays(50) },
                }
            },
            {
                "RetryIn",
                new KlaviyoOptions
                {
                    Retry = Retry.Linear,
                    RetryOptions = new RetryOptions { RetryIn = TimeSpan.FromSeconds(-1) },
                }
            },
        };

    [Theory]
    [MemberData(nameof(HugeWaits))]
    public async Task A_wait_or_timeout_past_what_timers_take_is_refused_before_sending(
        string setting,
        KlaviyoOptions options
    )
    {
        var (stubbed, stub) = Stubbed(options with { ApiKey = "pk_test" });

        var error = Invalid(await Lists.SendAsync(stubbed));

        Assert.Contains(setting, error.Message);
        Assert.Equal(0, error.Attempts);
        Assert.Empty(stub.Calls);
    }

    [Fact]
    public async Task A_timeout_just_inside_the_limit_is_accepted()
    {
        var (stubbed, _) = Stubbed(
            new KlaviyoOptions
            {
                ApiKey = "pk_test",
                ClientOptions = new ClientOptions { Timeout = TimeSpan.FromDays(49) },
            }
        );

        Assert.True((await Lists.SendAsync(stubbed)).IsRight);
    }

    [Theory]
    [InlineData("pk_caf\u00e9_key", null, null)]
    [InlineData("pk_ok_key", "2026-07-15\u2013beta", null)]
    [InlineData("pk_ok_key", null, "\u00fcber")]
    public async Task Non_ASCII_in_a_header_is_a_validation_error_with_no_attempt(
        string apiKey,
        string? revision,
        string? headerValue
    )
    {
        var (stubbed, stub) = Stubbed(
            new KlaviyoOptions
            {
                ApiKey = apiKey,
                Revision = revision,
                Headers = headerValue is null
                    ? Seq<(string, string)>()
                    : Seq1(("x-note", headerValue)),
            }
        );

        var error = Invalid(await Lists.SendAsync(stubbed));

        Assert.Equal(0, error.Attempts);
        Assert.Empty(stub.Calls);
        Assert.Contains("only printable ASCII", error.Message);
        Assert.DoesNotContain(apiKey, error.ToString());
    }

    [Theory]
    [InlineData("/api/%2e%2e/x", "")]
    [InlineData("/api/%2E%2E/x", "")]
    [InlineData("/api/./x", "")]
    [InlineData("/api/lists", "/proxy/../other")]
    [InlineData("/api/lists", "/proxy/%2e")]
    public async Task Dot_segments_are_refused_because_the_wire_would_drop_them(
        string path,
        string basePath
    )
    {
        var (stubbed, stub) = Stubbed(new KlaviyoOptions { ApiKey = "pk_test", Path = basePath });

        var error = Invalid(await new RequestOperation(HttpMethod.Get, path).SendAsync(stubbed));

        Assert.Contains("'.' or '..' segments", error.Message);
        Assert.Empty(stub.Calls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("\t")]
    public void A_blank_revision_means_the_catalog_revision(string? revision)
    {
        var request = Lists
            .Build(new KlaviyoOptions { ApiKey = "pk_test", Revision = revision })
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

        Assert.Equal(OperationCatalog.Revision, request.Header("revision").IfNone(""));
    }

    [Fact]
    public void A_blank_revision_header_is_replaced_by_the_catalog_revision()
    {
        var request = Lists
            .Build(new KlaviyoOptions { ApiKey = "pk_test", Headers = Seq1(("revision", "   ")) })
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

        Assert.Equal(
            Seq1(("revision", OperationCatalog.Revision)),
            request.Headers.Filter(h => h.Name == "revision")
        );
    }

    [Fact]
    public async Task Repeated_header_names_reach_the_wire_combined_and_print_as_sent()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        var options = server.Options(
            new KlaviyoOptions
            {
                ApiKey = "pk_test",
                Headers = Seq(("x-multi", "one"), ("X-Multi", "two")),
            }
        );
        var op = Lists.WithHeader("x-multi", "three");

        var printed = op.Build(options).Match(r => r.ToHttpMessage(), e => e.Message);
        Assert.True((await op.SendAsync(options)).IsRight);

        var received = Assert.Single(server.Received);
        Assert.Equal(
            ["one, two, three"],
            received
                .Headers.Where(h => h.Key.Equals("x-multi", StringComparison.OrdinalIgnoreCase))
                .Select(h => h.Value)
        );
        Assert.Contains("x-multi: one, two, three\n", printed);
    }

    [Fact]
    public async Task One_authorization_is_sent_and_the_operations_own_wins()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"access_token":"x"}""", "application/json")
        );
        var options = server.Options(
            new KlaviyoOptions
            {
                ApiKey = "pk_test",
                Headers = Seq1(("Authorization", "Bearer from-options")),
            }
        );
        var token = OAuth2.RefreshToken("client", "client-secret", "refresh-token-value");

        Assert.True((await token.SendAsync(options)).IsRight);

        var received = Assert.Single(server.Received);
        var authorizations = received
            .Headers.Where(h => h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Value)
            .ToList();
        Assert.Single(authorizations);
        Assert.StartsWith("Basic ", authorizations[0]);
    }

    [Fact]
    public async Task An_authorization_in_the_options_headers_wins_over_the_api_key()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        var options = server.Options(
            new KlaviyoOptions
            {
                ApiKey = "pk_test",
                Headers = Seq1(("authorization", "Bearer from-options")),
            }
        );

        Assert.True((await Lists.SendAsync(options)).IsRight);

        var received = Assert.Single(server.Received);
        Assert.Equal(
            ["Bearer from-options"],
            received
                .Headers.Where(h =>
                    h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase)
                )
                .Select(h => h.Value)
        );
    }

    [Fact]
    public async Task Sending_through_a_disposed_rate_limiter_is_a_classified_error()
    {
        var limiter = new CatalogRateLimiter();
        limiter.Dispose();
        var (stubbed, stub) = Stubbed(
            new KlaviyoOptions
            {
                ApiKey = "pk_test",
                ClientOptions = new ClientOptions { RateLimiter = limiter },
            }
        );

        var result = await Klaviyo.Lists.GetLists().SendAsync(stubbed);

        var error = Assert.IsType<KlaviyoError.Transport>(result.Match(_ => null!, e => e));
        Assert.Contains("disposed", error.Message);
        Assert.Equal(0, error.Attempts);
        Assert.False(error.RequestSent);
        Assert.Empty(stub.Calls);
    }

    [Theory]
    [InlineData("Klaviyo-API-Key pk_abc123def")]
    [InlineData("klaviyo-api-key   pk_abc123def ")]
    [InlineData(" pk_abc123def ")]
    public void A_key_pasted_with_its_scheme_is_sent_once_with_it(string apiKey)
    {
        var request = Lists
            .Build(new KlaviyoOptions { ApiKey = apiKey })
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

        Assert.Equal("Klaviyo-API-Key pk_abc123def", request.Authorization?.Reveal());
    }

    [Fact]
    public void A_token_pasted_with_Bearer_is_sent_once_with_it()
    {
        var request = Lists
            .Build(new KlaviyoOptions { AccessToken = "Bearer tok_abc" })
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

        Assert.Equal("Bearer tok_abc", request.Authorization?.Reveal());
    }

    [Fact]
    public async Task A_six_character_public_key_given_as_the_api_key_is_refused()
    {
        var (stubbed, stub) = Stubbed(new KlaviyoOptions { ApiKey = "AbC123" });

        var error = Invalid(await Lists.SendAsync(stubbed));

        Assert.Contains("looks like a public key", error.Message);
        Assert.DoesNotContain("AbC123", error.ToString());
        Assert.Empty(stub.Calls);
    }

    [Fact]
    public async Task An_api_key_given_as_the_access_token_is_refused()
    {
        var (stubbed, stub) = Stubbed(new KlaviyoOptions { AccessToken = "pk_private_key_value" });

        var error = Invalid(await Lists.SendAsync(stubbed));

        Assert.Contains("looks like a private API key", error.Message);
        Assert.DoesNotContain("pk_private_key_value", error.ToString());
        Assert.Empty(stub.Calls);
    }

    [Fact]
    public async Task The_live_transport_sends_nothing_unauthenticated()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        var options = new KlaviyoOptions
        {
            Protocol = "http",
            Host = "127.0.0.1",
            Port = server.Port,
        };

        var error = Invalid(await Lists.SendAsync(options));

        Assert.Contains("no credentials", error.Message);
        Assert.Equal(0, error.Attempts);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task The_client_api_needs_no_credentials_on_the_live_transport()
    {
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(202));
        var options = new KlaviyoOptions
        {
            Protocol = "http",
            Host = "127.0.0.1",
            Port = server.Port,
        };
        var op = new RequestOperation(HttpMethod.Post, "/client/events") { SendCredentials = false }
            .WithQuery("company_id", "AbC123")
            .WithBody(RequestBody.Json(new { data = new { type = "event" } }));

        Assert.True((await op.SendAsync(options)).IsRight);
        Assert.Equal(1, server.Count);
    }
}
