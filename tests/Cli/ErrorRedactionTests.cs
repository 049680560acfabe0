using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary>
/// The CLI prints Klaviyo's error document through the same redaction as everything else: a server that echoes the
/// credential back in its error (as text, as a field, JSON-escaped, in a header) does not get it onto the terminal.
/// </summary>
public class ErrorRedactionTests
{
    /// <summary>Answers 401 with a JSON:API error repeating the authorization header every way it can.</summary>
    private static Task<LoopbackServer> EchoingServer() =>
        LoopbackServer.StartAsync(
            async (ctx, received) =>
            {
                var authorization = received.Header("authorization") ?? "";
                var key = authorization.Split(' ', 2)[^1];
                ctx.Response.StatusCode = 401;
                ctx.Response.ContentType = "application/vnd.api+json";
                ctx.Response.Headers["x-echo-authorization"] = authorization;
                // The default encoder escapes '+', '&', '<'… as \u002B: the key arrives JSON-escaped.
                var body = JsonSerializer.Serialize(
                    new
                    {
                        errors = new[]
                        {
                            new
                            {
                                id = "echo",
                                status = 401,
                                code = "not_authenticated",
                                title = "Incorrect authentication credentials.",
                                detail = $"the header was '{authorization}'",
                                source = new { parameter = key, header = authorization },
                                meta = new { api_key = key, escaped = Uri.EscapeDataString(key) },
                            },
                        },
                    }
                );
                await ctx.Response.WriteAsync(body);
            }
        );

    [Theory]
    [InlineData("pk_cli_ECHOED_0123456789abcdef")]
    [InlineData("pk_cli_ECHOED+/=&<x>'\"_0123456789")]
    public async Task An_echoed_API_key_in_the_error_document_is_not_printed(string key)
    {
        await using var server = await EchoingServer();

        var result = await CliProcess.RunAsync(
            ["call", "get_accounts", "--base-url", server.BaseUrl],
            CliProcess.WithKey(key)
        );

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("not_authenticated", result.Stderr);
        Assert.Contains("[REDACTED]", result.Stderr);
        Assert.Contains("Incorrect authentication credentials.", result.Stderr);
        SecretForms.AssertAbsent(key, "stderr", result.Stderr);
        SecretForms.AssertAbsent(key, "stdout", result.Stdout);
        // The key was sent, so finding nothing means something.
        Assert.Equal(
            $"Klaviyo-API-Key {key}",
            Assert.Single(server.Received).Header("authorization")
        );
    }

    [Fact]
    public async Task An_echoed_access_token_in_the_error_document_is_not_printed()
    {
        const string token = "at_cli_ECHOED_0123456789.abcdef.ghijkl";
        await using var server = await EchoingServer();

        var result = await CliProcess.RunAsync(
            ["call", "get_accounts", "--base-url", server.BaseUrl],
            new Dictionary<string, string> { ["KLAVIYO_ACCESS_TOKEN"] = token }
        );

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("not_authenticated", result.Stderr);
        SecretForms.AssertAbsent(token, "stderr", result.Stderr);
        Assert.Equal($"Bearer {token}", Assert.Single(server.Received).Header("authorization"));
    }
}
