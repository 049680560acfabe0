using System.CommandLine;
using System.Text;

namespace Klaviyo.Cli;

/// <summary><c>klaviyo describe OPERATION_ID</c>: everything the catalog knows about one operation.</summary>
internal static class DescribeCommand
{
    private const int Width = 100;

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var operation = new Argument<string>("OPERATION_ID")
        {
            Description =
                "An operationId (get_profiles), an old alias, or the C# name (Profiles.GetProfiles)",
        };
        operation.CompletionSources.Add(OperationLookup.Completions);
        // Help would otherwise list every completion (345 operation ids) as the argument's name.
        operation.HelpName = "OPERATION_ID";
        var json = new Option<bool>("--json")
        {
            Description =
                "Print the description as JSON (the shape is in docs/cli.md), for scripts",
        };
        var exampleBody = new Option<bool>("--example-body")
        {
            Description =
                "Print a valid example request body to start from (e.g. klaviyo describe create_list --example-body > list.json)",
        };
        var command = new Command(
            "describe",
            "Describe one operation: method, path, parameters and their allowed values, body shape, success status, rate limits, scopes, aliases, paging, filters"
        )
        {
            operation,
            json,
            exampleBody,
        };
        command.SetAction(parse =>
            Cli.Guard(() =>
                Run(
                    parse.GetValue(operation)!,
                    parse.GetValue(json),
                    parse.GetValue(exampleBody),
                    Console.Out
                )
            )
        );
        return command;
    }

    /// <summary>Writes the description (as text or JSON) or the example body; returns the exit code.</summary>
    /// <param name="name">The operation as typed.</param>
    /// <param name="json">Whether <c>--json</c> was given.</param>
    /// <param name="exampleBody">Whether <c>--example-body</c> was given.</param>
    /// <param name="output">Where it goes.</param>
    public static int Run(string name, bool json, bool exampleBody, TextWriter output)
    {
        if (json && exampleBody)
            throw new UsageException(
                "give --json or --example-body, not both (the JSON description holds the example under body.example)"
            );
        var entry = OperationLookup.Find(name);
        if (exampleBody)
        {
            if (RequestBodyShapes.Of(entry.OperationId) is not { } shape)
                throw new UsageException(
                    entry.RequestContentType is null
                        ? $"{entry.OperationId} takes no body"
                        : $"{entry.OperationId} sends a {entry.RequestContentType} body, which the command-line tool cannot build"
                );
            using var example = System.Text.Json.JsonDocument.Parse(shape.Example);
            output.Write(JsonOutput.Format(example.RootElement, compact: false) + "\n");
        }
        else
            output.Write(json ? CatalogJson.Object(entry) : Describe(entry));
        output.Flush();
        return ExitCodes.Success;
    }

    /// <summary>The description, ending with a newline.</summary>
    /// <param name="e">The operation.</param>
    public static string Describe(CatalogEntry e)
    {
        var sb = new StringBuilder();
        sb.Append(e.OperationId).Append(": ").Append(e.Summary).Append('\n');
        sb.Append('\n');
        Field(sb, "method", e.Method.Method);
        Field(sb, "path", e.PathTemplate);
        Field(sb, "call", "klaviyo call " + CallRequest.Usage(e));
        Field(sb, "C#", $"{e.Tag}.{e.MethodName}");
        Field(sb, "tag", e.Tag);
        Field(
            sb,
            "path params",
            e.PathParameters.IsEmpty ? "none" : string.Join(", ", e.PathParameters)
        );
        Field(
            sb,
            "body",
            e.RequestContentType is null ? "none"
                : e.RequestContentType.EndsWith("json", StringComparison.OrdinalIgnoreCase)
                    ? $"{e.RequestContentType} (required: --body FILE or --body -)"
                : $"{e.RequestContentType} (not supported by the command-line tool)"
        );
        Field(
            sb,
            "success",
            e.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)
        );
        Field(sb, "rate limit", e.RateLimit.ToString());
        Field(sb, "scopes", e.Scopes.IsEmpty ? "none" : string.Join(", ", e.Scopes));
        Field(sb, "aliases", e.Aliases.IsEmpty ? "none" : string.Join(", ", e.Aliases));
        Field(sb, "paginated", e.Paginated ? "yes (--all-pages follows links.next)" : "no");
        Field(
            sb,
            "credentials",
            OperationLookup.IsClientApi(e)
                ? "none sent (client API: the public key goes in company_id)"
                : "KLAVIYO_API_KEY, KLAVIYO_ACCESS_TOKEN or --api-key-file"
        );

        sb.Append('\n');
        if (e.QueryParameters.IsEmpty)
            sb.Append("query parameters: none\n");
        else
        {
            sb.Append("query parameters (--query NAME=VALUE):\n");
            var width = Column(e.QueryParameters.Map(p => p.Name));
            foreach (var p in e.QueryParameters)
                Row(sb, p.Name, width, Parameter(p));
        }

        if (RequestBodyShapes.Of(e.OperationId) is { } shape)
        {
            sb.Append('\n');
            sb.Append(
                $"body ({shape.Schema}; start from 'klaviyo describe {e.OperationId} --example-body'):\n"
            );
            var width = Column(shape.Members.Select(m => m.Path));
            foreach (var m in shape.Members)
                Row(sb, m.Path, width, Member(m));
        }

        if (!e.Filters.IsEmpty)
        {
            sb.Append('\n');
            sb.Append("filter fields (--filter EXPR, e.g. equals(field,\"value\")):\n");
            var width = Column(e.Filters.Map(f => f.Field));
            foreach (var f in e.Filters)
                Row(sb, f.Field, width, Filter(f));
        }
        return sb.ToString();
    }

    private static string Parameter(QueryParameterInfo p)
    {
        var parts = new List<string> { p.Required ? "required" : "optional" };
        if (p.Minimum is not null || p.Maximum is not null)
            parts.Add(
                $"integer {(p.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")}..{(p.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")}"
            );
        if (!p.AllowedValues.IsEmpty)
            parts.Add(
                (p.IsArray ? "comma-separated, any of: " : "one of: ")
                    + string.Join(", ", p.AllowedValues)
            );
        else if (p.IsArray)
            parts.Add("comma-separated list");
        return string.Join("; ", parts);
    }

    private static string Member(RequestBodyMember m)
    {
        var parts = new List<string>
        {
            (m.Required ? "required " : "optional ")
                + (m.Values.Length == 1 ? $"\"{m.Values[0]}\"" : m.Type),
        };
        if (m.Values.Length > 1)
            parts.Add("one of: " + string.Join(", ", m.Values));
        var text = string.Join("; ", parts);
        return m.Description is null ? text : $"{text}. {m.Description}";
    }

    private static string Filter(FilterFieldInfo f)
    {
        var parts = new List<string>();
        if (!f.SingleOperators.IsEmpty)
            parts.Add(
                string.Join(", ", f.SingleOperators)
                    + $" ({f.ValueType}{(f.ValueFormat is null ? "" : ", " + f.ValueFormat)})"
            );
        if (!f.ListOperators.IsEmpty)
            parts.Add($"with a list: {string.Join(", ", f.ListOperators)}");
        if (!f.NoValueOperators.IsEmpty)
            parts.Add($"without a value: {string.Join(", ", f.NoValueOperators)}");
        if (!f.AllowedValues.IsEmpty)
            parts.Add("values: " + string.Join(", ", f.AllowedValues));
        return string.Join("; ", parts);
    }

    private static void Field(StringBuilder sb, string label, string value) =>
        sb.Append("  ").Append(label.PadRight(13)).Append(value).Append('\n');

    // The text column: after the longest name, but no further than 34 characters in.
    private static int Column(IEnumerable<string> names) =>
        Math.Min(names.Max(n => n.Length), 30) + 4;

    // One row: the name, then the text wrapped in the text column; a name too long for it gets a line of its own.
    private static void Row(StringBuilder sb, string name, int width, string text)
    {
        if (name.Length + 2 > width)
        {
            sb.Append("  ").Append(name).Append('\n');
            Wrapped(sb, new string(' ', width + 2), text);
        }
        else
            Wrapped(sb, "  " + name.PadRight(width), text);
    }

    // Writes prefix + text, wrapping the text at word boundaries under the prefix's end.
    private static void Wrapped(StringBuilder sb, string prefix, string text)
    {
        var indent = new string(' ', prefix.Length);
        var room = Math.Max(40, Width - prefix.Length);
        var line = new StringBuilder();
        var first = true;
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > room)
            {
                sb.Append(first ? prefix : indent).Append(line).Append('\n');
                first = false;
                line.Clear();
            }
            if (line.Length > 0)
                line.Append(' ');
            line.Append(word);
        }
        sb.Append(first ? prefix : indent).Append(line).Append('\n');
    }
}
