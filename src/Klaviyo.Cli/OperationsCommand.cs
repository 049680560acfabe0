using System.CommandLine;

namespace Klaviyo.Cli;

/// <summary><c>klaviyo operations [--tag T] [--search TEXT]</c>: a table of operations from the catalog.</summary>
internal static class OperationsCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var tag = new Option<string>("--tag", "-t")
        {
            Description =
                "Only operations of this tag, e.g. Profiles, Lists, CustomObjects (any case)",
            HelpName = "TAG",
        };
        var search = new Option<string>("--search", "-s")
        {
            Description =
                "Only operations whose id, alias, tag, C# name, path or summary contains TEXT (any case)",
            HelpName = "TEXT",
        };
        var json = new Option<bool>("--json")
        {
            Description =
                "Print the operations as a JSON array, each as 'klaviyo describe OP --json' prints it",
        };
        var command = new Command(
            "operations",
            "List the operations: id, HTTP method, path and rate limits (burst, steady, daily)"
        )
        {
            tag,
            search,
            json,
        };
        command.SetAction(parse =>
            Cli.Guard(() =>
                Run(parse.GetValue(tag), parse.GetValue(search), Console.Out, parse.GetValue(json))
            )
        );
        return command;
    }

    /// <summary>Writes the table; returns the exit code.</summary>
    /// <param name="tag">The tag filter.</param>
    /// <param name="search">The text filter.</param>
    /// <param name="output">Where the table goes.</param>
    /// <param name="json">A JSON array instead of the table.</param>
    public static int Run(string? tag, string? search, TextWriter output, bool json = false)
    {
        IEnumerable<CatalogEntry> entries = OperationCatalog.All;
        if (tag is not null)
        {
            var tags = OperationCatalog.All.Select(e => e.Tag).Distinct().ToList();
            var wanted = Normalize(tag);
            var found = tags.FirstOrDefault(t => Normalize(t) == wanted);
            if (found is null)
                throw new UsageException(
                    $"unknown tag '{tag}'{Suggestions.DidYouMean(tag, tags)}; the tags are {string.Join(", ", tags.Order(StringComparer.Ordinal))}"
                );
            entries = entries.Where(e => e.Tag == found);
        }
        if (!string.IsNullOrEmpty(search))
            entries = entries.Where(e => Matches(e, search));
        var selected = entries.ToList();
        if (selected.Count == 0)
            // Exit 0: an empty result is an answer, not a failure (as for the table's scripts' sake, --json prints []).
            Console.Error.WriteLine(
                $"klaviyo: no operation matches '{TerminalText.Escape(search ?? "")}'"
                    + (tag is null ? "" : $" in tag {tag}")
                    + " (searched ids, aliases, tags, method names, paths and summaries)"
                    + Suggestions.DidYouMean(
                        search ?? "",
                        OperationCatalog.All.Select(e => e.OperationId)
                    )
            );
        if (json)
        {
            output.Write(CatalogJson.Array(selected));
            output.Flush();
            return ExitCodes.Success;
        }
        var rows = selected
            .Select(e =>
                (e.OperationId, e.Method.Method, e.PathTemplate, OperationLookup.Rates(e.RateLimit))
            )
            .ToList();
        if (rows.Count == 0)
            return ExitCodes.Success;
        var header = ("OPERATION", "METHOD", "PATH", "RATE");
        var all = rows.Prepend(header).ToList();
        var w1 = all.Max(r => r.Item1.Length) + 2;
        var w2 = all.Max(r => r.Item2.Length) + 2;
        var w3 = all.Max(r => r.Item3.Length) + 2;
        foreach (var (id, method, path, rate) in all)
            output.Write(
                $"{id.PadRight(w1)}{method.PadRight(w2)}{path.PadRight(w3)}{rate}".TrimEnd() + "\n"
            );
        output.Flush();
        return ExitCodes.Success;
    }

    private static bool Matches(CatalogEntry e, string text) =>
        new[] { e.OperationId, e.Tag, e.MethodName, e.PathTemplate, e.Summary }
            .Concat(e.Aliases)
            .Any(s => s.Contains(text, StringComparison.OrdinalIgnoreCase));

    // "Custom Objects", "custom-objects" and "customobjects" all name CustomObjects.
    private static string Normalize(string tag) =>
        new string(tag.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
}
