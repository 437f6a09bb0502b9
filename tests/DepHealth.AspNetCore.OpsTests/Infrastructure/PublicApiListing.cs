using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>
/// A stable text listing of an assembly's public surface: every visible type and its public and protected members,
/// with nullability, modifiers and default values, one line each, sorted.
/// </summary>
public static class PublicApiListing
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool",
        [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short", [typeof(ushort)] = "ushort",
        [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal", [typeof(char)] = "char",
    };

    public static string Render(Assembly assembly)
    {
        var output = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            output.Append(TypeHeader(type)).Append('\n');
            foreach (var line in Members(type).Order(StringComparer.Ordinal))
            {
                output.Append("  ").Append(line).Append('\n');
            }
        }

        return output.ToString();
    }

    private static bool Visible(MethodBase? method) => method is not null && (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly);

    private static bool Visible(FieldInfo field) => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly;

    private static bool Generated(MemberInfo member) => member.IsDefined(typeof(CompilerGeneratedAttribute), false);

    private static string TypeHeader(Type type)
    {
        var text = new StringBuilder();
        if (type.IsDefined(typeof(ObsoleteAttribute), false))
        {
            text.Append("[Obsolete] ");
        }

        if (type.IsSubclassOf(typeof(Delegate)))
        {
            var invoke = type.GetMethod("Invoke")!;
            return text.Append("delegate ").Append(Name(invoke.ReturnParameter)).Append(' ').Append(DisplayName(type))
                .Append('(').Append(Parameters(invoke)).Append(')').ToString();
        }

        var record = type.GetMethod("<Clone>$") is not null;
        var kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? (record ? "record struct" : "struct") : record ? "record" : "class";
        if (type is { IsAbstract: true, IsSealed: true })
        {
            text.Append("static ");
        }
        else if (type.IsAbstract && !type.IsInterface)
        {
            text.Append("abstract ");
        }
        else if (type.IsSealed && !type.IsValueType && !type.IsEnum)
        {
            text.Append("sealed ");
        }

        text.Append(kind).Append(' ').Append(DisplayName(type));
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
        {
            bases.Add(Name(baseType));
        }

        if (type.IsEnum)
        {
            bases.Add(Name(Enum.GetUnderlyingType(type)));
        }

        bases.AddRange(type.IsEnum ? [] : type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        if (bases.Count > 0)
        {
            text.Append(" : ").Append(string.Join(", ", bases));
        }

        return text.Append(Constraints(type.IsGenericTypeDefinition ? type.GetGenericArguments() : [])).ToString();
    }

    private static IEnumerable<string> Members(Type type)
    {
        if (type.IsEnum)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                yield return $"{field.Name} = {Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}";
            }

            yield break;
        }

        if (type.IsSubclassOf(typeof(Delegate)))
        {
            yield break;
        }

        var nullability = new NullabilityInfoContext();
        foreach (var member in type.GetMembers(Declared))
        {
            switch (member)
            {
                case ConstructorInfo ctor when Visible(ctor) && !ctor.IsStatic && !Generated(ctor):
                    yield return Modifiers(ctor) + "ctor(" + Parameters(ctor) + ")";
                    break;
                case MethodInfo method when Visible(method) && !Generated(method) && (!method.IsSpecialName || method.Name.StartsWith("op_", StringComparison.Ordinal)):
                    var extension = method.IsDefined(typeof(ExtensionAttribute), false) ? "this " : "";
                    yield return Modifiers(method) + Name(method.ReturnParameter, nullability) + " " + method.Name
                        + (method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : "")
                        + "(" + extension + Parameters(method, nullability) + ")"
                        + Constraints(method.IsGenericMethodDefinition ? method.GetGenericArguments() : []);
                    break;
                case PropertyInfo property when (Visible(property.GetMethod) || Visible(property.SetMethod)) && !Generated(property):
                    var accessors = new List<string>();
                    if (Visible(property.GetMethod))
                    {
                        accessors.Add("get;");
                    }

                    if (Visible(property.SetMethod))
                    {
                        var init = property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
                        accessors.Add(init ? "init;" : "set;");
                    }

                    var indexer = property.GetIndexParameters();
                    var required = property.IsDefined(typeof(RequiredMemberAttribute), false) ? "required " : "";
                    yield return required + Modifiers((property.GetMethod is { } g && Visible(g) ? g : property.SetMethod)!) + Name(property, nullability) + " "
                        + (indexer.Length > 0 ? "this[" + string.Join(", ", indexer.Select(p => Name(p, nullability) + " " + p.Name)) + "]" : property.Name)
                        + " { " + string.Join(" ", accessors) + " }";
                    break;
                case FieldInfo field when Visible(field) && !Generated(field):
                    var fieldType = Name(field, nullability);
                    yield return field.IsLiteral
                        ? $"const {fieldType} {field.Name} = {Literal(field.GetRawConstantValue())}"
                        : (field.IsStatic ? "static " : "") + (field.IsInitOnly ? "readonly " : "") + fieldType + " " + field.Name;
                    break;
                case EventInfo evt when Visible(evt.AddMethod):
                    yield return Modifiers(evt.AddMethod!) + "event " + Name(evt.EventHandlerType!) + " " + evt.Name;
                    break;
                default:
                    break;
            }
        }
    }

    private static string Modifiers(MethodBase method)
    {
        var text = new StringBuilder();
        if (method.IsFamily || method.IsFamilyOrAssembly)
        {
            text.Append("protected ");
        }

        // Constructors of types with required members carry a compiler-made [Obsolete]: not part of the design.
        if (method.IsDefined(typeof(ObsoleteAttribute), false) && !method.IsDefined(typeof(CompilerFeatureRequiredAttribute), false))
        {
            text.Append("[Obsolete] ");
        }

        if (method.IsStatic)
        {
            text.Append("static ");
        }
        else if (method is MethodInfo info && !method.DeclaringType!.IsInterface)
        {
            var isOverride = info.GetBaseDefinition() != info;
            if (method.IsAbstract)
            {
                text.Append("abstract ");
            }
            else if (isOverride)
            {
                text.Append(method.IsFinal ? "sealed override " : "override ");
            }
            else if (method.IsVirtual && !method.IsFinal)
            {
                text.Append("virtual ");
            }
        }

        return text.ToString();
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext? nullability = null) =>
        string.Join(", ", method.GetParameters().Select(p =>
        {
            var text = new StringBuilder();
            if (p.IsDefined(typeof(ParamArrayAttribute), false))
            {
                text.Append("params ");
            }

            if (p.ParameterType.IsByRef)
            {
                text.Append(p.IsOut ? "out " : p.IsIn ? "in " : "ref ");
            }

            text.Append(Name(p, nullability ?? new NullabilityInfoContext())).Append(' ').Append(p.Name);
            if (p.HasDefaultValue)
            {
                text.Append(" = ").Append(Literal(p.RawDefaultValue));
            }

            return text.ToString();
        }));

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        bool b => b ? "true" : "false",
        char c => "'" + c + "'",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    private static string Constraints(Type[] arguments)
    {
        var text = new StringBuilder();
        foreach (var argument in arguments)
        {
            var parts = new List<string>();
            var attributes = argument.GenericParameterAttributes;
            if (attributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint))
            {
                parts.Add("class");
            }

            if (attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                parts.Add("struct");
            }

            parts.AddRange(argument.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).Select(Name));
            if (attributes.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                parts.Add("new()");
            }

            if (parts.Count > 0)
            {
                text.Append(" where ").Append(argument.Name).Append(" : ").Append(string.Join(", ", parts));
            }
        }

        return text.ToString();
    }

    private static string DisplayName(Type type)
    {
        var name = type.FullName ?? type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        name = name.Replace('+', '.');
        return type.IsGenericTypeDefinition ? name + "<" + string.Join(", ", type.GetGenericArguments().Select(a => a.Name)) + ">" : name;
    }

    private static string Name(ParameterInfo parameter, NullabilityInfoContext nullability) => Name(parameter.ParameterType, nullability.Create(parameter));

    private static string Name(ParameterInfo parameter) => Name(parameter, new NullabilityInfoContext());

    private static string Name(PropertyInfo property, NullabilityInfoContext nullability) => Name(property.PropertyType, nullability.Create(property));

    private static string Name(FieldInfo field, NullabilityInfoContext nullability) => Name(field.FieldType, nullability.Create(field));

    private static string Name(Type type) => Name(type, null);

    private static string Name(Type type, NullabilityInfo? info)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!, info);
        }

        var nullable = info is { ReadState: NullabilityState.Nullable } || info is { ReadState: NullabilityState.Unknown, WriteState: NullabilityState.Nullable };
        var suffix = nullable && !type.IsValueType ? "?" : "";
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying, info?.GenericTypeArguments.FirstOrDefault()) + "?";
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!, info?.ElementType) + "[" + new string(',', type.GetArrayRank() - 1) + "]" + suffix;
        }

        if (type.IsGenericParameter)
        {
            return type.Name + suffix;
        }

        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword + suffix;
        }

        var name = (type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name);
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        if (type.IsGenericType)
        {
            var arguments = type.GetGenericArguments();
            name += "<" + string.Join(", ", arguments.Select((a, i) => Name(a, info is not null && i < info.GenericTypeArguments.Length ? info.GenericTypeArguments[i] : null))) + ">";
        }

        return name + suffix;
    }
}
