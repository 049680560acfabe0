using Xunit;

namespace Klaviyo.Tests.Hardening;

/// <summary>
/// Issue 11 #1 through the wire: a 429 whose <c>Retry-After</c> is a huge fractional number of seconds ends the call
/// with that 429 as a <c>Left</c>; nothing escapes <c>SendAsync</c>, and the client does not sit waiting.
/// </summary>
public class HugeRetryAfterSendTests
{
    private const string Throttled =
        """{"errors":[{"status":"429","code":"throttled","title":"Request was throttled."}]}""";

    [Theory]
    [InlineData("1000000000000.5", "linear")]
    [InlineData("1000000000000.5", "exponential")]
    [InlineData("1000000000000.5", "none")]
    [InlineData("99999999999999999999999999999999999999999999999999.5", "linear")]
    public async Task A_429_asking_for_an_absurd_wait_is_a_Left_not_an_exception(
        string retryAfter,
        string strategy
    )
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(429, Throttled, headers: ("Retry-After", retryAfter))
        );
        var clock = new ObservableClock();
        var options = server.Options(
            new KlaviyoOptions
            {
                ApiKey = "pk_huge_retry_after_0123456789",
                Retry = strategy switch
                {
                    "linear" => Retry.Linear,
                    "exponential" => Retry.Exponential,
                    _ => null,
                },
                ClientOptions = new ClientOptions { TimeProvider = clock },
            }
        );

        var result = await clock.DriveAsync(
            new RequestOperation(HttpMethod.Get, "/api/profiles").SendAsync(options)
        );

        var error = Assert.IsType<KlaviyoError.Api>(result.Case);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Equal("throttled", error.Errors.Head.Code);
        Assert.Equal(RetryAfter.Longest, error.Response.RetryAfterSeconds);
        Assert.Empty(clock.Waits);
        Assert.Equal(1, server.Count);
    }
}
