using System.Text;

namespace Klaviyo.Codegen;

/// <summary>
/// Writes <c>OperationModels.g.cs</c>: for each operationId, the model of its success response body and of its JSON
/// request body, so typed operations can be built on top of the generated ones.
/// </summary>
public static class OperationModelsEmitter
{
    /// <summary>The file.</summary>
    public static GeneratedFile Emit(string revision, IReadOnlyList<Shape> shapes, ModelSet models)
    {
        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\n");
        sb.Append("namespace Klaviyo;\n\n");
        foreach (
            var line in DocText.Wrap(
                "",
                "<summary>The generated model (<c>Klaviyo.Models</c>) of each operation's success response body and JSON request body, by operationId; null when the operation has none.</summary>"
            )
        )
            sb.Append(line).Append('\n');
        sb.Append("internal static class OperationModels\n{\n");
        Table(
            sb,
            "Response",
            "The model of the success response body, or null when the response has none.",
            shapes.Select(s => (s.Operation.OperationId, s.Operation.ResponseSchemaName)),
            models
        );
        sb.Append('\n');
        Table(
            sb,
            "RequestBody",
            "The model of the JSON request body, or null when the operation takes none.",
            shapes.Select(s =>
                (
                    s.Operation.OperationId,
                    s.Operation.Body is { } b && b.ContentType.Contains("json")
                        ? b.SchemaName
                        : null
                )
            ),
            models
        );
        sb.Append("}\n");
        return new GeneratedFile("OperationModels.g.cs", sb.ToString());
    }

    private static void Table(
        StringBuilder sb,
        string name,
        string doc,
        IEnumerable<(string Id, string? Schema)> rows,
        ModelSet models
    )
    {
        sb.Append("    /// <summary>").Append(doc).Append("</summary>\n");
        sb.Append(
            "    /// <param name=\"operationId\">The operationId, e.g. <c>get_profiles</c>.</param>\n"
        );
        sb.Append("    public static Type? ").Append(name).Append("(string operationId) =>\n");
        sb.Append("        operationId switch\n        {\n");
        foreach (var (id, schema) in rows)
            if (schema is not null)
                sb.Append("            ")
                    .Append(Naming.Literal(id))
                    .Append(" => typeof(global::")
                    .Append(ModelsEmitter.Namespace)
                    .Append('.')
                    .Append(models.TypeNameOf(schema))
                    .Append("),\n");
        sb.Append("            _ => null,\n        };\n");
    }
}
