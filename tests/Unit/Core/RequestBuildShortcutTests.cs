using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests;

/// <summary>
/// Building an operation with no headers, body or secrets of its own takes a shortcut (headers, credential and
/// secrets worked out once per options instance, shared): it must give exactly what building every part for the
/// call gives (<see cref="RequestBuilder.BuildInFull(RequestOperation, KlaviyoOptions)"/>), request or error.
/// </summary>
public class RequestBuildShortcutTests
{
    private static readonly (string Name, KlaviyoOptions Options)[] AllOptions =
    [
        ("api key", new KlaviyoOptions { ApiKey = "pk_builder" }),
        ("access token", new KlaviyoOptions { AccessToken = "tok_builder" }),
        ("both credentials", new KlaviyoOptions { ApiKey = "pk_both", AccessToken = "tok_both" }),
        ("pasted scheme", new KlaviyoOptions { ApiKey = "Klaviyo-API-Key pk_pasted " }),
        ("no credentials", new KlaviyoOptions()),
        (
            "headers of the options",
            new KlaviyoOptions
            {
                ApiKey = "pk_headers",
                Headers = Seq(
                    ("Authorization", "Bearer given_in_headers"),
                    ("x-a", "1"),
                    ("X-A", "2"),
                    ("revision", " "),
                    ("content-type", "text/plain"),
                    ("accept", "application/json")
                ),
            }
        ),
        (
            "revision, base path, port",
            new KlaviyoOptions
            {
                ApiKey = "pk_where",
                Revision = "2024-10-15",
                Path = "/proxy/",
                Port = 8443,
            }
        ),
        (
            "credentials over plain http",
            new KlaviyoOptions
            {
                ApiKey = "pk_plain",
                Protocol = "http",
                Host = "example.com",
            }
        ),
        (
            "plain http to loopback",
            new KlaviyoOptions
            {
                ApiKey = "pk_loop",
                Protocol = "http",
                Host = "localhost",
            }
        ),
        (
            "an unsendable header",
            new KlaviyoOptions { ApiKey = "pk_bad_header", Headers = Seq1(("x-bad", "a\r\nb")) }
        ),
        ("a bad host", new KlaviyoOptions { ApiKey = "pk_bad_host", Host = "bad host" }),
        ("a public key", new KlaviyoOptions { ApiKey = "abc123" }),
    ];

    private static readonly (string Name, RequestOperation Operation)[] AllOperations =
    [
        ("GET", new RequestOperation(HttpMethod.Get, "/api/profiles")),
        ("DELETE", new RequestOperation(HttpMethod.Delete, "/api/lists/abc")),
        ("POST without a body", new RequestOperation(HttpMethod.Post, "/api/events")),
        (
            "no credentials sent",
            new RequestOperation(HttpMethod.Get, "/client/x") { SendCredentials = false }
        ),
        ("generated", Accounts.GetAccounts()),
        (
            "generated, query out of bounds",
            new RequestOperation(HttpMethod.Get, "/api/profiles")
            {
                OperationId = "get_profiles",
                Query = Seq1(("page[size]", "5000")),
            }
        ),
        (
            "query",
            new RequestOperation(HttpMethod.Get, "/api/profiles")
            {
                Query = Seq(("page[size]", "5"), ("filter", "equals(email,\"a@b.c\")")),
            }
        ),
        (
            "declared not idempotent",
            new RequestOperation(HttpMethod.Get, "/api/a") { Idempotent = false }
        ),
        ("no leading slash", new RequestOperation(HttpMethod.Get, "api/no-slash")),
        ("a space in the path", new RequestOperation(HttpMethod.Get, "/api/a b")),
        ("an em space in the path", new RequestOperation(HttpMethod.Get, "/api/a\u2003b")),
        ("a control character in the path", new RequestOperation(HttpMethod.Get, "/api/a\u0085b")),
        ("a query mark in the path", new RequestOperation(HttpMethod.Get, "/api/a?b=1")),
        ("a dot segment", new RequestOperation(HttpMethod.Get, "/api/%2E%2e/b")),
        ("non-ASCII in the path", new RequestOperation(HttpMethod.Get, "/api/caf\u00e9")),
        (
            "a null path parameter",
            PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", [null])
        ),
        // Not shortcut (headers, body or secrets of their own): the same either way, for contrast.
        ("own header", new RequestOperation(HttpMethod.Get, "/api/a").WithHeader("x-own", "1")),
        (
            "own secret",
            new RequestOperation(HttpMethod.Get, "/api/a") { Secrets = Seq1(Secret.Of("s3cret")) }
        ),
    ];

    // Everything a built request carries, secrets revealed; or the error's kind, message and attempts.
    private static string Describe(Either<KlaviyoError, KlaviyoRequest> built) =>
        built.Match(
            r =>
                string.Join(
                    "\n",
                    r.Method,
                    r.Origin,
                    r.Path,
                    r.Url,
                    string.Join(" | ", r.Headers.Map(h => $"{h.Name}: {h.Value}")),
                    r.Authorization?.Reveal() ?? "(no credential)",
                    r.Content.GetType().Name,
                    r.ContentType ?? "(no content type)",
                    r.OperationId ?? "(no operation id)",
                    r.Timeout,
                    r.MaxResponseBytes,
                    r.Attempt,
                    r.IsIdempotent,
                    r.RequiresCredentials,
                    string.Join(" | ", r.Secrets.Map(s => s.Reveal())),
                    r.ToString()
                ),
            e => $"{e.GetType().Name} after {e.Attempts}: {e.Message}"
        );

    public static TheoryData<int> OptionCases() => [.. Enumerable.Range(0, AllOptions.Length)];

    [Theory]
    [MemberData(nameof(OptionCases))]
    public void Every_operation_builds_as_when_every_part_is_worked_out_for_the_call(int o)
    {
        var (optionsName, options) = AllOptions[o];
        foreach (var (operationName, operation) in AllOperations)
        {
            // Twice: the first build works the shared parts out, the second reuses them.
            for (var round = 0; round < 2; round++)
                Assert.Equal(
                    $"{optionsName} / {operationName}:\n{Describe(RequestBuilder.BuildInFull(operation, options))}",
                    $"{optionsName} / {operationName}:\n{Describe(RequestBuilder.Build(operation, options))}"
                );
        }
    }

    [Fact]
    public void A_path_with_unicode_whitespace_is_refused_and_one_with_other_non_ASCII_letters_is_not()
    {
        var options = new KlaviyoOptions { ApiKey = "pk_paths" };

        Assert.True(new RequestOperation(HttpMethod.Get, "/api/caf\u00e9").Build(options).IsRight);
        var error = new RequestOperation(HttpMethod.Get, "/api/a\u2003b")
            .Build(options)
            .Match(_ => "", e => e.Message);
        Assert.Contains("must not contain '?', '#', whitespace or control characters", error);
    }

    [Fact]
    public void Requests_built_from_the_same_options_do_not_share_changes_to_their_headers()
    {
        var options = new KlaviyoOptions { ApiKey = "pk_shared" };
        var op = new RequestOperation(HttpMethod.Get, "/api/a");
        var first = RequestBuilder.Build(op, options).Match(r => r, _ => null!);
        var second = RequestBuilder.Build(op, options).Match(r => r, _ => null!);

        var changed = first with { Headers = first.Headers.Add(("x-extra", "1")) };
        var third = RequestBuilder.Build(op, options).Match(r => r, _ => null!);

        Assert.Contains(("x-extra", "1"), changed.Headers);
        Assert.Equal(3, second.Headers.Count);
        Assert.Equal(3, third.Headers.Count);
        Assert.DoesNotContain(third.Headers, h => h.Name == "x-extra");
    }

    [Fact]
    public void The_first_content_type_of_a_response_decides_how_its_body_is_read()
    {
        var raw = new RawResponse(
            200,
            Seq(("Content-Type", "text/plain"), ("content-type", MediaTypes.JsonApi)),
            "{not json"u8.ToArray()
        );

        var response = raw.Classify()
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

        Assert.Equal(new ResponseBody.Text("{not json"), response.Body);
    }
}
