using System.Text.Json;

namespace Klaviyo.Cli;

/// <summary>The request body's shape in <c>describe --json</c>: its schema, members and example body.</summary>
internal static class BodyShapeJson
{
    /// <summary>
    /// Writes <c>schema</c>, <c>members</c> (path, type, required, values, description) and <c>example</c> into the
    /// open <c>body</c> object; <c>null</c>s and an empty list when the spec gives no JSON schema.
    /// </summary>
    /// <param name="w">The writer, inside the body object.</param>
    /// <param name="operationId">The operation.</param>
    public static void Write(Utf8JsonWriter w, string operationId)
    {
        var shape = RequestBodyShapes.Of(operationId);
        w.WriteString("schema", shape?.Schema);
        w.WriteStartArray("members");
        foreach (var m in shape?.Members ?? [])
        {
            w.WriteStartObject();
            w.WriteString("path", m.Path);
            w.WriteString("type", m.Type);
            w.WriteBoolean("required", m.Required);
            w.WriteStartArray("values");
            foreach (var v in m.Values)
                w.WriteStringValue(v);
            w.WriteEndArray();
            w.WriteString("description", m.Description);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WritePropertyName("example");
        if (shape is null)
            w.WriteNullValue();
        else
        {
            using var example = JsonDocument.Parse(shape.Example);
            example.RootElement.WriteTo(w);
        }
    }
}
