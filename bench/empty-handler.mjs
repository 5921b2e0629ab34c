// The smallest handler Lambda can run: the floor for init duration in `npm run bench`.
export const handler = async (event) => event;
