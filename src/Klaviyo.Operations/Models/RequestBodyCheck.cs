using System.Globalization;
using System.Text;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Checks a JSON request body against its operation's request schema before anything is sent: required members,
/// JSON types, enums, the resource <c>type</c> constant, the formats the spec gives (<c>date-time</c>, <c>date</c>,
/// <c>time</c>), nullability, <c>oneOf</c>. Part of building a request (<see cref="RequestOperation.Build"/>), so every
/// interpreter and the CLI get it. Each problem names the JSON path and what was expected:
/// <c>request body: data.type: expected "list", got "lst"</c>. Unknown members are allowed (the API may know more
/// than the spec). Skipped for an operation built with <see cref="RequestBodyChecks.WithoutBodyCheck{T}"/>, for
/// hand-built operations (no <see cref="RequestOperation.OperationId"/>), and for bodies that are not JSON.
/// The schemas come from the generated table <see cref="RequestSchemas"/>; the spec is not read at run time.
/// </summary>
internal static class RequestBodyCheck
{
    /// <summary>At most this many problems are listed; the rest are counted.</summary>
    private const int MaxProblems = 20;

    private const string Prefix = "request body: ";

    /// <summary>
    /// <paramref name="encoded"/>, or the problems its JSON content has against the schema of
    /// <paramref name="operation"/>'s body.
    /// </summary>
    public static Validation<string, (RequestContent Content, Seq<Secret> Secrets)> Checked(
        RequestOperation operation,
        Validation<string, (RequestContent Content, Seq<Secret> Secrets)> encoded
    ) =>
        operation.SkipBodyCheck
        || operation.OperationId is not { } id
        || RequestSchemas.Of(id) is not { } schema
            ? encoded
            : encoded.Bind(body =>
                body.Content is RequestContent.Json json
                && Problems(schema, json.Value) is { IsEmpty: false } problems
                    ? Validation<string, (RequestContent, Seq<Secret>)>.Fail(problems)
                    : Success<string, (RequestContent, Seq<Secret>)>(body)
            );

    /// <summary>The problems of <paramref name="body"/> against component schema <paramref name="schema"/>.</summary>
    internal static Seq<string> Problems(string schema, JsonElement body)
    {
        var problems = new List<string>();
        Check(SchemaTable.Of(schema), body, "", problems);
        if (problems.Count == 0)
            return Seq<string>();
        var listed = string.Join("; ", problems.Take(MaxProblems));
        return Seq1(
            problems.Count > MaxProblems
                ? $"{Prefix}{listed}; and {problems.Count - MaxProblems} more"
                : Prefix + listed
        );
    }

    private static void Check(
        SchemaTable.Node node,
        JsonElement value,
        string path,
        List<string> problems
    )
    {
        node = node.Resolved;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!node.Nullable && !node.AcceptsNull)
                problems.Add($"{Where(path)}: expected {node.Describe()}, got null");
            return;
        }
        foreach (var part in node.AllOf)
            Check(part, value, path, problems);
        if (node.OneOf.Count > 0)
        {
            CheckOneOf(node, value, path, problems);
            return;
        }
        switch (node.Kind)
        {
            case "object":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{Where(path)}: expected an object, got {KindOf(value)}");
                    return;
                }
                foreach (var name in node.Required)
                    if (!value.TryGetProperty(name, out _))
                        problems.Add($"{Where(Member(path, name))}: required member missing");
                if (node.Properties.Count > 0)
                    foreach (var member in value.EnumerateObject())
                        if (node.Properties.TryGetValue(member.Name, out var p))
                            Check(p, member.Value, Member(path, member.Name), problems);
                return;
            case "array":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"{Where(path)}: expected an array, got {KindOf(value)}");
                    return;
                }
                if (node.Items is { } items)
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                        Check(items, item, $"{path}[{i++}]", problems);
                }
                return;
            case "string":
                if (value.ValueKind != JsonValueKind.String)
                {
                    problems.Add($"{Where(path)}: expected {node.Describe()}, got {KindOf(value)}");
                    return;
                }
                CheckString(node, value.GetString()!, path, problems);
                return;
            case "integer":
                if (value.ValueKind != JsonValueKind.Number || !IsInteger(value))
                    problems.Add($"{Where(path)}: expected an integer, got {KindOf(value)}");
                return;
            case "number":
                if (value.ValueKind != JsonValueKind.Number)
                    problems.Add($"{Where(path)}: expected a number, got {KindOf(value)}");
                return;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    problems.Add($"{Where(path)}: expected a boolean, got {KindOf(value)}");
                return;
        }
    }

    // Passes when one alternative fits. Otherwise the problems of the closest alternative are reported: the one
    // whose constant members (the resource type) the value has, else the one with the fewest problems.
    private static void CheckOneOf(
        SchemaTable.Node node,
        JsonElement value,
        string path,
        List<string> problems
    )
    {
        List<string>? best = null;
        var bestScore = int.MaxValue;
        foreach (var alternative in node.OneOf)
        {
            var found = new List<string>();
            Check(alternative, value, path, found);
            if (found.Count == 0)
                return;
            var score = found.Count - (alternative.Resolved.ConstantsMatch(value) ? 1000 : 0);
            if (score < bestScore)
            {
                best = found;
                bestScore = score;
            }
        }
        if (best is not null)
            problems.AddRange(best);
    }

    private static void CheckString(
        SchemaTable.Node node,
        string text,
        string path,
        List<string> problems
    )
    {
        if (node.Enum.Count > 0 && !node.Enum.Contains(text))
        {
            problems.Add(
                node.Enum.Count == 1
                    ? $"{Where(path)}: expected {Quote(node.Enum[0])}, got {Quote(text)}"
                    : $"{Where(path)}: expected one of {string.Join(", ", node.Enum.Take(8).Select(Quote))}{(node.Enum.Count > 8 ? $" (and {node.Enum.Count - 8} more)" : "")}, got {Quote(text)}"
            );
            return;
        }
        var ok = node.Format switch
        {
            "date-time" => DateTimeOffset.TryParse(
                text,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AllowWhiteSpaces,
                out _
            ),
            "date" => DateOnly.TryParseExact(
                text,
                "yyyy-MM-dd",
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out _
            )
                || DateTimeOffset.TryParse(
                    text,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None,
                    out _
                ),
            "time" => TimeOnly.TryParse(
                text,
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out _
            )
                || DateTimeOffset.TryParse(
                    text,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None,
                    out _
                ),
            _ => true,
        };
        if (!ok)
            problems.Add(
                $"{Where(path)}: expected a {node.Format} string, got a string that is not one"
            );
    }

    private static bool IsInteger(JsonElement value) =>
        value.TryGetInt64(out _)
        || (value.TryGetDouble(out var d) && Math.Floor(d) == d && !double.IsInfinity(d));

    private static string Where(string path) => path.Length == 0 ? "the body" : path;

    private static string Member(string path, string name) =>
        IsPlain(name) ? (path.Length == 0 ? name : $"{path}.{name}") : $"{path}['{name}']";

    private static bool IsPlain(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');

    // Enum and constant values are short codes ("list", "double_opt_in"); a long value is cut, so a body's data
    // never lands whole in an error message.
    private static string Quote(string text) =>
        $"\"{JsonEncodedText.Encode(text.Length > 40 ? text[..40] + "…" : text)}\"";

    private static string KindOf(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
}
