// Side-effect stylesheet imports, handled by Vite.
declare module '*.css';
// A file's URL once Vite has emitted it (`import url from './file.js?url'`).
declare module '*?url' {
  const url: string;
  export default url;
}
