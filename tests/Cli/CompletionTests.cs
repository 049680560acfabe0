using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary>Shell completion: operation ids for <c>call</c> and <c>describe</c>, and the scripts that enable it.</summary>
public class CompletionTests
{
    [Theory]
    [InlineData("call")]
    [InlineData("describe")]
    public async Task Completes_operation_ids_from_what_was_typed(string command)
    {
        var line = $"klaviyo {command} get_profi";

        var result = await CliProcess.RunAsync($"[suggest:{line.Length}]", line);

        Assert.True(result.ExitCode == 0, result.ToString());
        var offered = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = OperationCatalog
            .All.Select(e => e.OperationId)
            .Where(id => id.StartsWith("get_profi", StringComparison.Ordinal))
            .Order(StringComparer.OrdinalIgnoreCase);
        Assert.Contains("get_profiles", offered);
        Assert.Equal(expected, offered.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("call", "--help")]
    [InlineData("describe", "--help")]
    public async Task Help_names_the_operation_argument_instead_of_listing_every_id(
        params string[] args
    )
    {
        var result = await CliProcess.RunAsync(args);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("get_profiles|", result.Stdout);
        Assert.DoesNotContain(result.Stdout.Split('\n'), line => line.Length > 400);
    }

    [Fact]
    public async Task Still_completes_options_and_their_values()
    {
        var line = "klaviyo call get_lists --format h";

        var result = await CliProcess.RunAsync($"[suggest:{line.Length}]", line);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["http"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    [InlineData("pwsh")]
    public async Task Prints_a_script_for_each_shell_that_asks_the_tool(string shell)
    {
        var result = await CliProcess.RunAsync("completion", shell);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("klaviyo \"[suggest:", result.Stdout);
        Assert.StartsWith($"# klaviyo completion for ", result.Stdout);
    }

    [Fact]
    public async Task The_bash_script_completes_an_operation_id_in_a_real_bash()
    {
        var bash = new[] { "/bin/bash", "/usr/bin/bash" }.FirstOrDefault(File.Exists);
        Assert.True(
            bash is not null,
            "bash is needed for this test (it is on every machine the suite runs on)"
        );
        // 'klaviyo' is the built tool, run by the same dotnet host as the tests (a shell function stands in for
        // the installed command).
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h
            ? h
            : "dotnet";
        var klaviyo = $"klaviyo() {{ '{host}' '{CliProcess.ToolPath}' \"$@\"; }}\n";
        var script =
            klaviyo
            + """
                source <(klaviyo completion bash)
                COMP_LINE='klaviyo call get_profi'
                COMP_POINT=${#COMP_LINE}
                COMP_WORDS=(klaviyo call get_profi)
                COMP_CWORD=2
                _klaviyo_complete
                printf '%s\n' "${COMPREPLY[@]}"
                """;
        var start = new System.Diagnostics.ProcessStartInfo(bash!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await stderr);
        var offered = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("get_profiles", offered);
        Assert.Contains("get_profile", offered);
        Assert.DoesNotContain("get_lists", offered);
    }
}
