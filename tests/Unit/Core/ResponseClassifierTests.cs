using System.Text;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests;

public class ResponseClassifierTests
{
    private static Either<KlaviyoError, KlaviyoResponse> Classify(
        int status,
        string? contentTypeName,
        string? contentType,
        string body
    ) =>
        ResponseClassifier.Classify(
            new RawResponse(
                status,
                contentTypeName is null
                    ? Seq<(string, string)>()
                    : Seq1((contentTypeName, contentType!)),
                Encoding.UTF8.GetBytes(body)
            ),
            SystemTextJsonCodec.Default,
            Seq<Secret>()
        );

    [Theory]
    [InlineData("content-type", "application/vnd.api+json")]
    [InlineData("content-type", "application/vnd.api+json;charset=utf-8")]
    [InlineData("CoNtEnT-tYpE", "application/vnd.api+json")]
    [InlineData("Content-Type", "application/json; charset=UTF-8")]
    [InlineData("content-type", "APPLICATION/VND.API+JSON")]
    public void JSON_content_types_are_decoded(string name, string value)
    {
        var response = Ok(Classify(200, name, value, """{"data":{"id":"1"}}"""));
        Assert.Equal(
            "1",
            response.Json.Map(j => j.GetProperty("data").GetProperty("id").GetString()).IfNone("")
        );
    }

    [Theory]
    [InlineData("content-type", "text/plain")]
    [InlineData(null, null)]
    [InlineData("content-type", "text/html; charset=utf-8")]
    [InlineData("content-type", "application/jsonp")]
    public void Other_content_types_are_kept_as_text(string? name, string? value)
    {
        var response = Ok(Classify(200, name, value, """{"data":1}"""));
        Assert.Equal(new ResponseBody.Text("""{"data":1}"""), response.Body);
    }

    [Fact]
    public void An_empty_body_is_no_body()
    {
        Assert.Equal(
            ResponseBody.None,
            Ok(Classify(204, "content-type", "application/vnd.api+json", "")).Body
        );
    }

    [Fact]
    public void A_400_is_an_api_error_with_the_body_decoded_and_the_errors_parsed()
    {
        var error = Classify(
                400,
                "content-type",
                "application/vnd.api+json",
                """{"errors":[{"id":"e1","status":400,"code":"invalid","title":"Invalid input.","detail":"email is bad","source":{"pointer":"/data/attributes/email"}}]}"""
            )
            .Match(_ => throw new Xunit.Sdk.XunitException("expected an error"), e => e);

        var api = Assert.IsType<KlaviyoError.Api>(error);
        Assert.Equal(400, api.StatusCode);
        Assert.False(api.IsRetryable);
        Assert.True(api.Response.Json.IsSome);
        var detail = Assert.Single(api.Errors);
        Assert.Equal(
            ("invalid", "email is bad", "/data/attributes/email", "400"),
            (detail.Code, detail.Detail, detail.SourcePointer, detail.Status)
        );
        Assert.Contains("400", api.Message);
        Assert.Contains("email is bad", api.Message);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    public void Server_errors_and_429_are_retryable_other_4xx_are_not(int status, bool retryable)
    {
        var error = Classify(status, "content-type", "text/html", "<html>oops</html>")
            .Match(_ => null!, e => e);
        Assert.Equal(retryable, Assert.IsType<KlaviyoError.Api>(error).IsRetryable);
    }

    [Fact]
    public void Malformed_JSON_under_a_JSON_content_type_is_a_decode_error_keeping_the_raw_text()
    {
        var error = Classify(200, "content-type", "application/vnd.api+json", """{"data": [1, 2""")
            .Match(_ => null!, e => e);
        var decode = Assert.IsType<KlaviyoError.Decode>(error);
        Assert.Equal("""{"data": [1, 2""", decode.RawText);
        Assert.Equal(200, decode.StatusCode);
    }

    [Fact]
    public void Header_lookup_is_case_insensitive_and_keeps_order_and_repeats()
    {
        var headers = new ResponseHeaders(
            Seq(("Set-Thing", "1"), ("x-other", "o"), ("set-thing", "2"))
        );
        Assert.Equal("1", headers["SET-THING"].IfNone(""));
        Assert.Equal(Seq("1", "2"), headers.GetAll("set-thing"));
        Assert.True(headers.Contains("X-OTHER"));
        Assert.True(headers.Get("missing").IsNone);
    }

    [Fact]
    public void Api_error_messages_are_scrubbed_of_secrets_the_server_echoes()
    {
        var raw = new RawResponse(
            401,
            Seq1(("content-type", "application/json")),
            Encoding.UTF8.GetBytes(
                """{"errors":[{"detail":"key pk_echoed_secret is not valid"}]}"""
            )
        );
        var error = ResponseClassifier
            .Classify(raw, SystemTextJsonCodec.Default, Seq1(Secret.Of("pk_echoed_secret")))
            .Match(_ => null!, e => e);
        Assert.DoesNotContain("pk_echoed_secret", error.Message);
        Assert.DoesNotContain("pk_echoed_secret", error.ToString());
        Assert.Contains("[REDACTED]", error.Message);
    }
}
