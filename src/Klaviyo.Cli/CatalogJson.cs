using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Klaviyo.Cli;

/// <summary>
/// The catalog as JSON for scripts (<c>klaviyo operations --json</c>, <c>klaviyo describe OP --json</c>): one object
/// per operation, every member always present (<c>null</c> or empty when the spec gives nothing). docs/cli.md
/// documents the shape; members are only ever added.
/// </summary>
internal static class CatalogJson
{
    /// <summary>The operations as a JSON array, ending with a newline.</summary>
    /// <param name="entries">The operations.</param>
    public static string Array(IEnumerable<CatalogEntry> entries) =>
        Text(w =>
        {
            w.WriteStartArray();
            foreach (var e in entries)
                Write(w, e);
            w.WriteEndArray();
        });

    /// <summary>One operation as a JSON object, ending with a newline.</summary>
    /// <param name="entry">The operation.</param>
    public static string Object(CatalogEntry entry) => Text(w => Write(w, entry));

    /// <summary>Writes one operation.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="e">The operation.</param>
    public static void Write(Utf8JsonWriter w, CatalogEntry e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.OperationId);
        Strings(w, "aliases", e.Aliases);
        w.WriteString("summary", e.Summary);
        w.WriteString("method", e.Method.Method);
        w.WriteString("path", e.PathTemplate);
        w.WriteString("tag", e.Tag);
        w.WriteString("library_method", $"{e.Tag}.{e.MethodName}");
        w.WriteString("call", "klaviyo call " + CallRequest.Usage(e));
        Strings(w, "path_parameters", e.PathParameters);

        w.WriteStartArray("query_parameters");
        foreach (var p in e.QueryParameters)
        {
            w.WriteStartObject();
            w.WriteString("name", p.Name);
            w.WriteBoolean("required", p.Required);
            w.WriteBoolean("list", p.IsArray);
            Strings(w, "values", p.AllowedValues);
            Number(w, "minimum", p.Minimum);
            Number(w, "maximum", p.Maximum);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("filters");
        foreach (var f in e.Filters)
        {
            w.WriteStartObject();
            w.WriteString("field", f.Field);
            Strings(w, "operators", f.SingleOperators);
            Strings(w, "list_operators", f.ListOperators);
            Strings(w, "no_value_operators", f.NoValueOperators);
            w.WriteString("value_type", f.ValueType);
            w.WriteString("value_format", f.ValueFormat);
            Strings(w, "values", f.AllowedValues);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        if (e.RequestContentType is null)
            w.WriteNull("body");
        else
        {
            w.WriteStartObject("body");
            w.WriteString("content_type", e.RequestContentType);
            w.WriteBoolean("supported", CallRequest.IsJson(e.RequestContentType));
            BodyShapeJson.Write(w, e.OperationId);
            w.WriteEndObject();
        }

        w.WriteNumber("success_status", e.SuccessStatus);
        w.WriteStartObject("rate_limit");
        Rate(w, "burst", e.RateLimit.Burst);
        Rate(w, "steady", e.RateLimit.Steady);
        Rate(w, "daily", e.RateLimit.Daily);
        w.WriteString("text", OperationLookup.Rates(e.RateLimit));
        w.WriteEndObject();
        Strings(w, "scopes", e.Scopes);
        w.WriteBoolean("paginated", e.Paginated);
        w.WriteBoolean("sends_credentials", !OperationLookup.IsClientApi(e));
        w.WriteEndObject();
    }

    private static void Rate(Utf8JsonWriter w, string name, Rate? rate)
    {
        if (rate is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        w.WriteNumber("count", rate.Count);
        w.WriteNumber("per_seconds", (long)rate.Per.TotalSeconds);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } n)
            w.WriteNumber(name, n);
        else
            w.WriteNull(name);
    }

    private static string Text(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Options(compact: false)))
            write(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }
}
