using System.Text;
using System.Text.Json;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.OAuthSessions;

public class TokenSetTests
{
    private static readonly DateTimeOffset Received = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static KlaviyoResponse Response(string json, int status = 200) =>
        new RawResponse(
            status,
            Seq1(("content-type", "application/json")),
            Encoding.UTF8.GetBytes(json)
        )
            .Classify()
            .Match(r => r, e => ((KlaviyoError.Api)e).Response);

    [Fact]
    public void Reads_a_token_response()
    {
        var tokens = TokenSet
            .From(
                Response(
                    """{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1","scope":"lists:read  profiles:read"}"""
                ),
                Received
            )
            .Match(t => t, e => throw new Xunit.Sdk.XunitException(e.Message));

        Assert.Equal("at-1", tokens.AccessToken.Reveal());
        Assert.Equal("rt-1", tokens.RefreshToken.Reveal());
        Assert.Equal(Received.AddHours(1), tokens.ExpiresAt);
        Assert.Equal(new[] { "lists:read", "profiles:read" }, tokens.Scopes.ToArray());
    }

    [Fact]
    public void Without_expires_in_the_token_never_expires_on_the_clock()
    {
        var tokens = TokenSet
            .From(Response("""{"access_token":"at-1","refresh_token":"rt-1"}"""), Received)
            .Match(t => t, e => throw new Xunit.Sdk.XunitException(e.Message));

        Assert.Equal(DateTimeOffset.MaxValue, tokens.ExpiresAt);
        Assert.False(tokens.ExpiresWithin(TimeSpan.FromDays(3650), Received));
    }

    [Theory]
    [InlineData("""{"refresh_token":"rt-SECRET-1"}""", "no access_token")]
    [InlineData("""{"access_token":"at-SECRET-1"}""", "no refresh_token")]
    [InlineData(
        """{"access_token":"at-SECRET-1","refresh_token":"rt-SECRET-1","expires_in":"soon"}""",
        "expires_in"
    )]
    [InlineData("""["at-SECRET-1"]""", "not a JSON object")]
    public void A_response_that_is_not_a_token_set_is_a_decode_error_that_never_quotes_it(
        string json,
        string reason
    )
    {
        var error = TokenSet
            .From(Response(json), Received)
            .Match(t => throw new Xunit.Sdk.XunitException("decoded " + t), e => e);

        var decode = Assert.IsType<KlaviyoError.Decode>(error);
        Assert.Contains(reason, decode.Message);
        Assert.Equal("", decode.RawText);
        Assert.DoesNotContain("SECRET", decode.ToString());
    }

    [Fact]
    public void An_error_answer_is_not_a_token_set()
    {
        var error = TokenSet
            .From(Response("""{"error":"invalid_grant"}""", 400), Received)
            .Match(t => throw new Xunit.Sdk.XunitException("decoded " + t), e => e);

        Assert.Contains("status 400", error.Message);
    }

    [Fact]
    public void Shows_the_expiry_and_scopes_never_the_tokens()
    {
        var tokens = new TokenSet(
            Secret.Of("at-SHOWN-never"),
            Secret.Of("rt-SHOWN-never"),
            Received,
            Seq1("lists:read")
        );

        var shown = new[]
        {
            tokens.ToString(),
            JsonSerializer.Serialize(tokens),
            $"{tokens}",
            (tokens with { Scopes = default }).ToString(),
        };

        Assert.All(shown, s => Assert.DoesNotContain("SHOWN", s));
        Assert.Contains("2024-05-01T12:00:00.0000000+00:00", tokens.ToString());
        Assert.Contains("lists:read", tokens.ToString());
    }
}
