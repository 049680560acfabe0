using System.Text.RegularExpressions;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary>The tool speaks in its own terms: no .NET type, C# member or exception name in any message.</summary>
public class MessageWordingTests
{
    // System.Nullable`1, OperationCatalog.Find, ClientOptions.…, FooException, a generic arity like `1.
    private static readonly Regex DotNetName = new(
        @"System\.|Nullable|Catalog\.|ClientOptions|KlaviyoOptions|RetryOptions|Interpreter\.|Exception|`\d",
        RegexOptions.CultureInvariant
    );

    public static TheoryData<string[]> BadInputs() =>
        new()
        {
            new[] { "call", "get_profiles", "--timeout", "abc" },
            new[] { "call", "get_profiles", "--timeout", "-1" },
            new[] { "call", "get_profiles", "--timeout", "1e999" },
            new[] { "call", "get_profiles", "--all-pages", "--max-pages", "three" },
            new[] { "call", "get_profiles", "--retry", "linear", "--retry-in", "0.5" },
            new[] { "call", "get_profiles", "--retry", "linear", "--max-retries", "many" },
            new[] { "call", "get_profiles", "-q", "fields[profile]=nope" },
            new[] { "call", "get_profiles", "-q", "page[size]=1000" },
            new[] { "call", "get_profiles", "-q", "page[size]=x" },
            new[] { "call", "get_profiles", "--filter", "equals(nope" },
            new[] { "call", "get_profiles", "--redis-margin", "lots" },
            new[] { "call", "get_profiles", "--redis", "127.0.0.1:1", "--redis-tier", "fast" },
            new[] { "call", "create_list", "--body", "/no/such/file.json" },
            new[] { "call", "get_profile" },
            new[] { "call", "nope_operation" },
            new[] { "describe", "nope_operation", "--json" },
            new[] { "operations", "--tag", "Nope" },
            new[] { "bulk", "import-profiles", "--file", "/no/such/file", "--jobs", "x" },
            new[] { "bulk", "import-profiles", "--file", "/no/such/file", "--poll-delay", "soon" },
            new[] { "completion", "tcsh" },
        };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_input_is_refused_in_the_tools_own_words(string[] args)
    {
        var result = await CliProcess.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("klaviyo: ", result.Stderr);
        Assert.DoesNotContain("Unrecognized command", result.Stderr);
        Assert.DoesNotMatch(DotNetName, result.Stderr);
        Assert.DoesNotMatch(DotNetName, result.Stdout);
    }

    [Fact]
    public async Task A_plain_http_remote_host_names_the_flag_that_allows_it()
    {
        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--base-url", "http://example.com"],
            CliProcess.WithKey("pk_wording_test_0123456789")
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--allow-insecure-credentials", result.Stderr);
        Assert.DoesNotMatch(DotNetName, result.Stderr);
    }

    [Fact]
    public async Task A_value_list_too_long_to_print_points_to_klaviyo_describe()
    {
        var result = await CliProcess.RunAsync(
            "call",
            "get_profiles",
            "-q",
            "fields[profile]=nope"
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("'klaviyo describe get_profiles' lists them all", result.Stderr);
    }

    [Fact]
    public async Task Timeout_that_is_not_a_number_says_so_plainly()
    {
        var result = await CliProcess.RunAsync("call", "get_profiles", "--timeout", "abc");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("klaviyo: --timeout: 'abc' is not a number of seconds\n", result.Stderr);
    }

    [Fact]
    public void Every_library_phrase_the_tool_rewrites_comes_out_in_command_line_terms()
    {
        var library = new[]
        {
            "query parameter 'x' has 'y'; allowed values: a and 3 more (OperationCatalog.Find(\"get_profiles\") lists them all)",
            "refusing to send credentials over plain http to h; use https, or allow insecure credentials in the client options",
            "ClientOptions.Timeout must be positive",
            "the response body is larger than the 1 MB the client accepts (ClientOptions.MaxResponseBytes): why",
            "RetryOptions.MaxRetries must not be negative",
            "no credentials: set KlaviyoOptions.ApiKey (a private key, pk_…) or AccessToken; an unauthenticated request was not sent",
            "fixture 'f' does not exist; record it first with Interpreter.Record(inner, path)",
            "'x' is not a bulk-job operation; OperationCatalog.BulkJobs lists them",
            "the shared rate limiter cannot reach Redis, and it is set to fail closed (RedisFailureMode.FailClosed); nothing was sent",
        };
        foreach (var message in library)
            Assert.DoesNotMatch(DotNetName, Klaviyo.Cli.CommandLineTerms.Of(message));
    }
}
