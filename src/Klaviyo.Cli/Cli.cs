using System.CommandLine;

namespace Klaviyo.Cli;

/// <summary>The <c>klaviyo</c> command line: the root command, parsing, and turning failures into exit codes.</summary>
internal static class Cli
{
    /// <summary>The root command with its subcommands.</summary>
    public static RootCommand Root() =>
        new(
            $"klaviyo: list, describe and call every operation of the Klaviyo API (revision {OperationCatalog.Revision}). Without credentials 'call' is a dry run."
        )
        {
            OperationsCommand.Create(),
            DescribeCommand.Create(),
            CallCommand.Create(),
            BulkCommand.Create(),
            CompletionCommand.Create(),
        };

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        // No response files: a path argument may well start with '@'.
        var parse = Root()
            .Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine(
                    $"klaviyo: {TerminalText.Escape(CommandLineTerms.Of(error.Message))}"
                );
            Console.Error.WriteLine(
                "Run 'klaviyo --help' (or 'klaviyo COMMAND --help') for usage."
            );
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(
            new InvocationConfiguration { EnableDefaultExceptionHandler = false }
        );
    }

    /// <summary>Runs a command body, turning the tool's exceptions into messages and exit codes.</summary>
    /// <param name="body">The command.</param>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            return Failed(e);
        }
    }

    /// <summary>Runs an async command body, turning the tool's exceptions into messages and exit codes.</summary>
    /// <param name="body">The command.</param>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e)
        {
            return Failed(e);
        }
    }

    private static int Failed(Exception e)
    {
        switch (e)
        {
            case UsageException:
                Console.Error.WriteLine($"klaviyo: {TerminalText.Escape(e.Message)}");
                return ExitCodes.Usage;
            case KlaviyoException k:
                Console.Error.WriteLine(
                    $"klaviyo: {TerminalText.Escape(CommandLineTerms.Of(k.Error.Message))}"
                );
                return ExitCodes.For(k.Error);
            case OperationCanceledException:
                Console.Error.WriteLine("klaviyo: cancelled");
                return ExitCodes.Cancelled;
            case IOException:
                // Standard output closed early (e.g. piped into head), a fixture that cannot be written, …
                Console.Error.WriteLine($"klaviyo: {TerminalText.Escape(e.Message)}");
                return ExitCodes.Transport;
            default:
                // The tool's own words: a .NET exception's type name tells the person nothing.
                Console.Error.WriteLine(
                    $"klaviyo: internal error (a bug in the tool; please report it): {TerminalText.Escape(e.Message)}"
                );
                return ExitCodes.Internal;
        }
    }
}
