using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary>Dry runs: forced with <c>--dry-run</c>, or the default when no credentials are set.</summary>
public class DryRunTests
{
    private const string Key = "pk_dry_run_secret_42";

    [Fact]
    public async Task Dry_run_prints_exactly_the_curl_command_with_the_key_masked()
    {
        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--query", "page[size]=5", "--dry-run"],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            "curl --request 'GET' \\\n"
                + "  --url 'https://a.klaviyo.com/api/profiles?page%5Bsize%5D=5' \\\n"
                + $"  --header 'revision: {OperationCatalog.Revision}' \\\n"
                + "  --header \"authorization: Klaviyo-API-Key $KLAVIYO_API_KEY\" \\\n"
                + "  --header 'accept: application/vnd.api+json' \\\n"
                + $"  --header 'user-agent: {UserAgent}'\n",
            result.Stdout
        );
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Dry_run_in_http_format_prints_the_message_with_the_json_body()
    {
        var result = await CliProcess.RunAsync(
            [
                "call",
                "create_list",
                "--body",
                "-",
                "--dry-run",
                "--format",
                "http",
                "--revision",
                "2025-01-15",
            ],
            CliProcess.WithKey(Key),
            stdin: """{"data":{"type":"list","attributes":{"name":"VIP"}}}"""
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            "POST /api/lists HTTP/1.1\n"
                + "host: a.klaviyo.com\n"
                + "content-type: application/vnd.api+json\n"
                + "revision: 2025-01-15\n"
                + "authorization: Klaviyo-API-Key [REDACTED]\n"
                + "accept: application/vnd.api+json\n"
                + $"user-agent: {UserAgent}\n"
                + "\n"
                + "{\n"
                + "  \"data\": {\n"
                + "    \"type\": \"list\",\n"
                + "    \"attributes\": {\n"
                + "      \"name\": \"VIP\"\n"
                + "    }\n"
                + "  }\n"
                + "}\n",
            result.Stdout
        );
    }

    [Fact]
    public async Task Without_credentials_call_is_a_dry_run_and_says_so_on_stderr()
    {
        var result = await CliProcess.RunAsync("call", "get_profile", "01ABC");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            "curl --request 'GET' \\\n"
                + "  --url 'https://a.klaviyo.com/api/profiles/01ABC' \\\n"
                + $"  --header 'revision: {OperationCatalog.Revision}' \\\n"
                + "  --header 'accept: application/vnd.api+json' \\\n"
                + $"  --header 'user-agent: {UserAgent}'\n",
            result.Stdout
        );
        Assert.Equal(
            "klaviyo: no credentials (set KLAVIYO_API_KEY or KLAVIYO_ACCESS_TOKEN, or give --api-key-file): dry run, nothing was sent\n",
            result.Stderr
        );
    }

    [Fact]
    public async Task A_dry_run_still_validates_and_exits_2_on_a_bad_value()
    {
        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--query", "page[size]=1000", "--dry-run"],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Contains("page[size]", result.Stderr);
    }

    [Fact]
    public async Task Record_without_credentials_exits_2_instead_of_recording_a_dry_run()
    {
        using var temp = new TempFolder();
        var fixture = temp.File("f.json");

        var result = await CliProcess.RunAsync("call", "get_profiles", "--record", fixture);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.False(File.Exists(fixture));
    }

    private static readonly string UserAgent = Profiles
        .GetProfiles()
        .Build(KlaviyoOptions.Default)
        .Match(r => r.Header("user-agent").IfNone(""), _ => "");
}
