using System.Diagnostics;

namespace Klaviyo.Tests.Cli;

/// <summary>What one run of the tool gave: exit code, standard output, standard error.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() =>
        $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the real tool as a child process, <c>dotnet Klaviyo.Cli.dll …</c> (the project reference copies it next to
/// the tests), with a clean environment: no Klaviyo credentials unless the test gives them, and standard error
/// redirected (so not a terminal).
/// </summary>
public static class CliProcess
{
    /// <summary>The built tool.</summary>
    public static string ToolPath { get; } =
        Path.Combine(AppContext.BaseDirectory, "Klaviyo.Cli.dll");

    // The same host that runs the tests (the SDK sets DOTNET_HOST_PATH for its children).
    private static readonly string DotnetHost = Environment.GetEnvironmentVariable(
        "DOTNET_HOST_PATH"
    )
        is { Length: > 0 } host
        ? host
        : "dotnet";

    /// <summary>Runs <c>klaviyo <paramref name="args"/></c>.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="environment">Extra environment variables (e.g. <c>KLAVIYO_API_KEY</c>).</param>
    /// <param name="stdin">Standard input; empty when <c>null</c>.</param>
    /// <param name="workingDirectory">The working directory; a fresh temporary folder's parent by default.</param>
    public static async Task<CliResult> RunAsync(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null,
        string? stdin = null,
        string? workingDirectory = null
    )
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in new[] { "KLAVIYO_API_KEY", "KLAVIYO_ACCESS_TOKEN" })
            start.Environment.Remove(name);
        start.Environment["DOTNET_TieredPGO"] = "0";
        start.Environment["DOTNET_TC_QuickJitForLoops"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"klaviyo {string.Join(' ', args)} did not finish");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the tool with these arguments.</summary>
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null);

    /// <summary>An environment holding only an API key.</summary>
    public static IReadOnlyDictionary<string, string> WithKey(string key) =>
        new Dictionary<string, string> { ["KLAVIYO_API_KEY"] = key };
}
