using Xunit;

namespace Klaviyo.Tests.Hardening;

/// <summary>
/// Issue 11 #2: a 4xx/5xx JSON body whose strings are not well-formed Unicode (lone surrogates, invalid UTF-8) is an
/// API error like any other, through real HTTP, with or without retry; the broken parts read as U+FFFD, so the message
/// still says what Klaviyo said.
/// </summary>
public class BrokenErrorBodyTests
{
    private const string Key = "pk_broken_error_0123456789";

    public static TheoryData<BrokenText.Case> Cases() => BrokenText.All();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_400_with_a_broken_string_is_an_API_error_that_reads_it_leniently(
        BrokenText.Case broken
    )
    {
        await using var server = await LoopbackServer.StartAsync(
            BrokenText.Respond(400, BrokenText.ErrorDocument(broken))
        );
        var options = server.Options(new KlaviyoOptions { ApiKey = Key });

        var result = await new RequestOperation(HttpMethod.Get, "/api/profiles").SendAsync(options);

        var error = Assert.IsType<KlaviyoError.Api>(result.Case);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        var first = Assert.Single(error.Errors);
        Assert.Equal("e1", first.Id);
        Assert.Equal("invalid", first.Code);
        Assert.Equal(broken.Reads, first.Detail);
        Assert.Equal("/data/attributes/" + broken.Reads, first.SourcePointer);
        Assert.StartsWith(
            "Klaviyo answered 400 Bad Request: invalid: Bad: " + broken.Reads,
            error.Message
        );
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_500_with_a_broken_string_is_retried_and_ends_as_that_API_error(
        BrokenText.Case broken
    )
    {
        await using var server = await LoopbackServer.StartAsync(
            BrokenText.Respond(500, BrokenText.ErrorDocument(broken))
        );
        var options = server.Options(
            new KlaviyoOptions
            {
                ApiKey = Key,
                Retry = Retry.Linear,
                RetryOptions = new RetryOptions { MaxRetries = 2, RetryIn = TimeSpan.Zero },
            }
        );

        var result = await new RequestOperation(HttpMethod.Get, "/api/profiles").SendAsync(options);

        var error = Assert.IsType<KlaviyoError.Api>(result.Case);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, server.Count);
        Assert.Equal(broken.Reads, Assert.Single(error.Errors).Detail);
        Assert.Contains(broken.Reads, error.Message);
    }

    [Fact]
    public void Reading_the_errors_of_a_body_with_broken_strings_never_throws()
    {
        foreach (var broken in BrokenText.Cases)
        {
            var body = new ResponseBody.Json(
                System.Text.Json.JsonDocument.Parse(BrokenText.ErrorDocument(broken)).RootElement
            );
            var error = Assert.Single(KlaviyoApiError.FromBody(body));
            Assert.Equal(broken.Reads, error.Detail);
            Assert.Equal("Bad", error.Title);
        }
    }
}
