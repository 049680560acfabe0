using System.Text;

namespace Klaviyo;

/// <summary>
/// The walks over a <see cref="Filter"/> tree (and the <see cref="FilterValue"/> lists inside it): printing,
/// equality and hashing. A tree built in code can be as deep as the caller likes (only the parser caps depth), so
/// each walk keeps its own stack on the heap instead of recursing: a million-deep filter prints rather than crashing
/// the process.
/// </summary>
internal static class FilterWalk
{
    /// <summary>Appends the expression of <paramref name="root"/> (a filter or a filter value).</summary>
    public static void Render(object root, StringBuilder sb)
    {
        // Pending work, last first: a node to print, or literal text (a closing bracket, a comma).
        var pending = new Stack<object>();
        pending.Push(root);
        while (pending.TryPop(out var next))
        {
            switch (next)
            {
                case string text:
                    sb.Append(text);
                    break;
                case Filter.Comparison c:
                    sb.Append(c.Operator).Append('(').Append(c.Field).Append(',');
                    pending.Push(")");
                    pending.Push(c.Value);
                    break;
                case Filter.Presence p:
                    sb.Append("has(").Append(p.Field).Append(')');
                    break;
                case Filter.AllOf all:
                    Call("and(", ")", all.Filters.ToArray());
                    break;
                case Filter.AnyOf any:
                    Call("or(", ")", any.Filters.ToArray());
                    break;
                case Filter.Negation not:
                    Call("not(", ")", [not.Operand]);
                    break;
                case FilterValue.List list:
                    Call("[", "]", list.Items.ToArray());
                    break;
                case FilterValue value:
                    value.Render(sb);
                    break;
            }
        }

        void Call(string open, string close, object[] operands)
        {
            sb.Append(open);
            pending.Push(close);
            for (var i = operands.Length - 1; i >= 0; i--)
            {
                pending.Push(operands[i]);
                if (i > 0)
                    pending.Push(",");
            }
        }
    }

    /// <summary>Structural equality of two filters or two filter values.</summary>
    public static bool Equal(object a, object b)
    {
        var pending = new Stack<(object?, object?)>();
        pending.Push((a, b));
        while (pending.TryPop(out var pair))
        {
            var (x, y) = pair;
            if (ReferenceEquals(x, y))
                continue;
            if (x is null || y is null || x.GetType() != y.GetType())
                return false;
            switch (x)
            {
                case Filter.Comparison c:
                    var d = (Filter.Comparison)y;
                    if (c.Operator != d.Operator || c.Field != d.Field)
                        return false;
                    pending.Push((c.Value, d.Value));
                    break;
                case Filter.Presence p:
                    if (p.Field != ((Filter.Presence)y).Field)
                        return false;
                    break;
                case Filter.AllOf all:
                    if (!Pairs(all.Filters, ((Filter.AllOf)y).Filters))
                        return false;
                    break;
                case Filter.AnyOf any:
                    if (!Pairs(any.Filters, ((Filter.AnyOf)y).Filters))
                        return false;
                    break;
                case Filter.Negation not:
                    pending.Push((not.Operand, ((Filter.Negation)y).Operand));
                    break;
                case FilterValue.List list:
                    if (!Pairs(list.Items, ((FilterValue.List)y).Items))
                        return false;
                    break;
                default:
                    // The remaining values (text, number, boolean, null, date-time) hold no children.
                    if (!x.Equals(y))
                        return false;
                    break;
            }
        }
        return true;

        bool Pairs<T>(LanguageExt.Seq<T> xs, LanguageExt.Seq<T> ys)
        {
            if (xs.Count != ys.Count)
                return false;
            foreach (var (l, r) in xs.Zip(ys))
                pending.Push((l, r));
            return true;
        }
    }

    /// <summary>A hash consistent with <see cref="Equal"/>: equal trees are walked in the same order.</summary>
    public static int Hash(object root)
    {
        var hash = new HashCode();
        var pending = new Stack<object?>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            // A null operand (Filter.Not(null!)) is not a valid filter, but hashing it must not fail.
            hash.Add(node?.GetType());
            switch (node)
            {
                case Filter.Comparison c:
                    hash.Add(c.Operator);
                    hash.Add(c.Field);
                    pending.Push(c.Value);
                    break;
                case Filter.Presence p:
                    hash.Add(p.Field);
                    break;
                case Filter.AllOf all:
                    Children(all.Filters);
                    break;
                case Filter.AnyOf any:
                    Children(any.Filters);
                    break;
                case Filter.Negation not:
                    pending.Push(not.Operand);
                    break;
                case FilterValue.List list:
                    Children(list.Items);
                    break;
                case not null:
                    hash.Add(node.GetHashCode());
                    break;
            }
        }
        return hash.ToHashCode();

        void Children<T>(LanguageExt.Seq<T> items)
        {
            hash.Add(items.Count);
            foreach (var item in items)
                pending.Push(item);
        }
    }
}
