// Side-effect stylesheet imports, handled by Vite.
declare module '*.css';
