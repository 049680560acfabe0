using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests;

public class SendTests
{
    [Fact]
    public async Task Send_returns_success_on_a_200_JSON_API_response_with_body_decoded_and_headers_kept()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(
                200,
                """{"data":[{"type":"event","id":"e1"}]}""",
                headers: ("x-test", "kept")
            )
        );
        var op = new RequestOperation(HttpMethod.Get, "/api/events")
        {
            Query = Seq1(("page[size]", "2")),
        };

        var result = await op.SendAsync(
            server.Options(new KlaviyoOptions { ApiKey = "pk_test_key", Revision = "2023-01-24" })
        );

        var response = result.Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(
            "e1",
            response
                .Json.Map(j => j.GetProperty("data")[0].GetProperty("id").GetString())
                .IfNone("")
        );
        Assert.Equal("kept", response.Headers["X-TEST"].IfNone(""));
        var got = Assert.Single(server.Received);
        Assert.Equal("GET", got.Method);
        Assert.Equal("/api/events", got.Path);
        Assert.Equal("?page%5Bsize%5D=2", got.QueryString);
        Assert.Equal("Klaviyo-API-Key pk_test_key", got.Header("authorization"));
        Assert.Equal("2023-01-24", got.Header("revision"));
    }
}
