using Mono.Cecil;

namespace DepHealth.AspNetCore.Tests.Architecture;

/// <summary>Which namespaces of an assembly use which, read from its IL: signatures, bodies, attributes of every type.</summary>
internal sealed class NamespaceGraph
{
    private readonly string _root;
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph(string root) => _root = root;

    /// <summary>Namespaces of the assembly's own types under the root (the root itself as "").</summary>
    public SortedSet<string> Namespaces { get; } = new(StringComparer.Ordinal);

    /// <summary>Each namespace's uses of another, with one example "Type -> Type" per pair.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Edges => _edges;

    public static NamespaceGraph Of(string assemblyPath, string root)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var graph = new NamespaceGraph(root);
        foreach (var type in assembly.MainModule.GetTypes())
        {
            if (graph.Relative(type) is { } ns)
            {
                graph.Namespaces.Add(ns);
            }

            graph.Scan(type);
        }

        return graph;
    }

    private void Scan(TypeDefinition type)
    {
        Use(type, type.BaseType);
        foreach (var i in type.Interfaces)
        {
            Use(type, i.InterfaceType);
        }

        foreach (var field in type.Fields)
        {
            Use(type, field.FieldType);
        }

        foreach (var property in type.Properties)
        {
            Use(type, property.PropertyType);
        }

        foreach (var method in type.Methods)
        {
            Use(type, method.ReturnType);
            foreach (var p in method.Parameters)
            {
                Use(type, p.ParameterType);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var v in method.Body.Variables)
            {
                Use(type, v.VariableType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Use(type, t);
                        break;
                    case MethodReference m:
                        Use(type, m.DeclaringType);
                        Use(type, m.ReturnType);
                        foreach (var p in m.Parameters)
                        {
                            Use(type, p.ParameterType);
                        }

                        if (m is GenericInstanceMethod generic)
                        {
                            foreach (var a in generic.GenericArguments)
                            {
                                Use(type, a);
                            }
                        }

                        break;
                    case FieldReference f:
                        Use(type, f.DeclaringType);
                        Use(type, f.FieldType);
                        break;
                }
            }
        }
    }

    private void Use(TypeDefinition from, TypeReference? to)
    {
        switch (to)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                foreach (var argument in generic.GenericArguments)
                {
                    Use(from, argument);
                }

                Use(from, generic.ElementType);
                return;
            case TypeSpecification specification:
                Use(from, specification.ElementType);
                return;
        }

        // Types of other assemblies are not layers of this one.
        if (to.Scope is AssemblyNameReference || Relative(from) is not { } source || Relative(to) is not { } target || source == target)
        {
            return;
        }

        if (!_edges.TryGetValue(source, out var targets))
        {
            _edges[source] = targets = new(StringComparer.Ordinal);
        }

        targets.TryAdd(target, $"{Outermost(from).FullName} -> {Outermost(to).FullName}");
    }

    private string? Relative(TypeReference type)
    {
        var ns = Outermost(type).Namespace;
        return ns == _root ? string.Empty : ns.StartsWith(_root + ".", StringComparison.Ordinal) ? ns[(_root.Length + 1)..] : null;
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }
}
