// custom-elements.json is built from the components' JSDoc (@summary, @fires, @csspart,
// @cssproperty) and their Lit properties. Only the public element is documented.
export default {
  globs: ['src/components/softphone/softphone.ts'],
  outdir: '.',
  // package.json's "customElements" is set by hand (checks write the manifest elsewhere).
  packagejson: false,
  litelement: true,
  plugins: [
    {
      // Earshot registers elements with a guarded @element(tag) decorator instead of @customElement.
      name: 'earshot-element-decorator',
      analyzePhase({ ts, node, moduleDoc }) {
        if (!ts.isClassDeclaration(node) || !node.name) return;
        const decorator = ts
          .getDecorators?.(node)
          ?.find((d) => d.expression.expression?.getText() === 'element');
        const tag = decorator?.expression.arguments?.[0]?.text;
        const declaration = moduleDoc.declarations?.find((d) => d.name === node.name.getText());
        if (!tag || !declaration) return;
        declaration.tagName = tag;
        declaration.customElement = true;
        moduleDoc.exports = [
          ...(moduleDoc.exports ?? []),
          {
            kind: 'custom-element-definition',
            name: tag,
            declaration: { name: declaration.name, module: moduleDoc.path },
          },
        ];
      },
    },
  ],
};
